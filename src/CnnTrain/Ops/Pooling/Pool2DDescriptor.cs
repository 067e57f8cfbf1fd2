namespace CnnTrain.Ops;

/// <summary>The geometry of a non-padded 2-D max pool over every channel of one sample.</summary>
internal readonly record struct Pool2DDescriptor
{
    /// <summary>Validates and records the geometry.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A value that makes the pool empty or undefined; the message names it.</exception>
    public Pool2DDescriptor(int channels, int inputHeight, int inputWidth, int size, int stride)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(channels, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(inputHeight, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(inputWidth, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(stride, 1);
        if (size > inputHeight || size > inputWidth)
        {
            throw new ArgumentOutOfRangeException(nameof(size), size, $"The pool window is larger than its input {inputHeight}x{inputWidth}.");
        }

        Channels = channels;
        InputHeight = inputHeight;
        InputWidth = inputWidth;
        Size = size;
        Stride = stride;
        OutputHeight = ((inputHeight - size) / stride) + 1;
        OutputWidth = ((inputWidth - size) / stride) + 1;
    }

    /// <summary>Channels, pooled independently.</summary>
    public int Channels { get; }

    /// <summary>Input height.</summary>
    public int InputHeight { get; }

    /// <summary>Input width.</summary>
    public int InputWidth { get; }

    /// <summary>Square window extent.</summary>
    public int Size { get; }

    /// <summary>Window stride.</summary>
    public int Stride { get; }

    /// <summary>Output height.</summary>
    public int OutputHeight { get; }

    /// <summary>Output width.</summary>
    public int OutputWidth { get; }

    /// <summary>Elements of one sample's input.</summary>
    public int InputSize => Channels * InputHeight * InputWidth;

    /// <summary>Elements of one sample's output.</summary>
    public int OutputSize => Channels * OutputHeight * OutputWidth;
}
