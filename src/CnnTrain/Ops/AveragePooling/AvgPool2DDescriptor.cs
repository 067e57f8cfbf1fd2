namespace CnnTrain.Ops;

/// <summary>
/// The geometry of a non-padded 2-D average pool over every channel of one sample: windows of
/// <see cref="WindowHeight"/> × <see cref="WindowWidth"/> moved by (<see cref="StrideY"/>, <see cref="StrideX"/>);
/// a global pool is one window over the whole plane.
/// </summary>
internal readonly record struct AvgPool2DDescriptor
{
    /// <summary>Validates and records the geometry.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A value that makes the pool empty or undefined; the message names it.</exception>
    public AvgPool2DDescriptor(int channels, int inputHeight, int inputWidth, int windowHeight, int windowWidth, int strideY, int strideX)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(channels, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(windowHeight, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(windowWidth, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(strideY, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(strideX, 1);
        if (windowHeight > inputHeight || windowWidth > inputWidth)
        {
            throw new ArgumentOutOfRangeException(
                nameof(windowHeight), $"The {windowHeight}x{windowWidth} window is larger than the {inputHeight}x{inputWidth} input.");
        }

        if ((long)channels * inputHeight * inputWidth > int.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(channels), channels, "The pool's input has more than int.MaxValue elements per sample.");
        }

        Channels = channels;
        InputHeight = inputHeight;
        InputWidth = inputWidth;
        WindowHeight = windowHeight;
        WindowWidth = windowWidth;
        StrideY = strideY;
        StrideX = strideX;
        OutputHeight = ((inputHeight - windowHeight) / strideY) + 1;
        OutputWidth = ((inputWidth - windowWidth) / strideX) + 1;
    }

    public int Channels { get; }

    public int InputHeight { get; }

    public int InputWidth { get; }

    public int WindowHeight { get; }

    public int WindowWidth { get; }

    public int StrideY { get; }

    public int StrideX { get; }

    public int OutputHeight { get; }

    public int OutputWidth { get; }

    public int InputSize => Channels * InputHeight * InputWidth;

    public int OutputSize => Channels * OutputHeight * OutputWidth;

    /// <summary>The divisor of every window's sum, as the float it is used as (exact below 2^24).</summary>
    public float WindowElements => WindowHeight * WindowWidth;
}
