namespace CnnTrain.Ops;

/// <summary>
/// The geometry of a fused convolution block as the devices run it: a 2-D convolution of one sample's
/// (channels, height, width) input with square filters, plus bias, an optional activation, and an optional
/// non-padded max pool. Layers describe themselves with it; devices never see layers.
/// </summary>
internal readonly record struct Convolution2DDescriptor
{
    /// <summary>Validates and records the geometry.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A value that makes the block empty or undefined; the message names it.</exception>
    public Convolution2DDescriptor(
        int inputChannels, int inputHeight, int inputWidth, int filters, int kernelSize, int stride = 1, int padding = 0,
        Activation activation = Activation.None, int poolSize = 0, int poolStride = 0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(inputChannels, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(inputHeight, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(inputWidth, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(filters, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(kernelSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(stride, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(padding);
        ArgumentOutOfRangeException.ThrowIfNegative(poolSize);
        if (!Enum.IsDefined(activation))
        {
            throw new ArgumentOutOfRangeException(nameof(activation), activation, "Unknown activation.");
        }

        if (padding >= kernelSize)
        {
            throw new ArgumentOutOfRangeException(nameof(padding), padding, $"Padding must be smaller than the kernel size {kernelSize}.");
        }

        if (kernelSize > inputHeight + (2 * padding) || kernelSize > inputWidth + (2 * padding))
        {
            throw new ArgumentOutOfRangeException(
                nameof(kernelSize), kernelSize, $"The kernel is larger than the padded input {inputHeight + (2 * padding)}x{inputWidth + (2 * padding)}.");
        }

        InputChannels = inputChannels;
        InputHeight = inputHeight;
        InputWidth = inputWidth;
        Filters = filters;
        KernelSize = kernelSize;
        Stride = stride;
        Padding = padding;
        Activation = activation;
        ConvolutionHeight = ((inputHeight + (2 * padding) - kernelSize) / stride) + 1;
        ConvolutionWidth = ((inputWidth + (2 * padding) - kernelSize) / stride) + 1;
        if (poolSize > 0)
        {
            if (poolStride < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(poolStride), poolStride, "A pooled block needs a pool stride of at least 1.");
            }

            if (poolSize > ConvolutionHeight || poolSize > ConvolutionWidth)
            {
                throw new ArgumentOutOfRangeException(
                    nameof(poolSize), poolSize, $"The pool window is larger than the convolution output {ConvolutionHeight}x{ConvolutionWidth}.");
            }

            PoolSize = poolSize;
            PoolStride = poolStride;
            OutputHeight = ((ConvolutionHeight - poolSize) / poolStride) + 1;
            OutputWidth = ((ConvolutionWidth - poolSize) / poolStride) + 1;
        }
        else
        {
            OutputHeight = ConvolutionHeight;
            OutputWidth = ConvolutionWidth;
        }

        long weights = (long)filters * inputChannels * kernelSize * kernelSize;
        long conv = (long)filters * ConvolutionHeight * ConvolutionWidth;
        long input = (long)inputChannels * inputHeight * inputWidth;
        if (weights > int.MaxValue || conv > int.MaxValue || input > int.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(filters), filters, "The block has more than int.MaxValue elements per sample.");
        }
    }

    /// <summary>Input channels C.</summary>
    public int InputChannels { get; }

    /// <summary>Input height H.</summary>
    public int InputHeight { get; }

    /// <summary>Input width W.</summary>
    public int InputWidth { get; }

    /// <summary>Number of filters F (output channels).</summary>
    public int Filters { get; }

    /// <summary>Square kernel extent K.</summary>
    public int KernelSize { get; }

    /// <summary>Convolution stride.</summary>
    public int Stride { get; }

    /// <summary>Zero padding on every side of the input.</summary>
    public int Padding { get; }

    /// <summary>Activation applied to the convolution (before the pool).</summary>
    public Activation Activation { get; }

    /// <summary>Max-pool window extent, 0 when the block has no pool.</summary>
    public int PoolSize { get; }

    /// <summary>Max-pool stride, 0 when the block has no pool.</summary>
    public int PoolStride { get; }

    /// <summary>Whether the block ends in a max pool.</summary>
    public bool HasPool => PoolSize > 0;

    /// <summary>Height of the convolution output (before pooling).</summary>
    public int ConvolutionHeight { get; }

    /// <summary>Width of the convolution output (before pooling).</summary>
    public int ConvolutionWidth { get; }

    /// <summary>Height of the block's output.</summary>
    public int OutputHeight { get; }

    /// <summary>Width of the block's output.</summary>
    public int OutputWidth { get; }

    /// <summary>Elements of one sample's input.</summary>
    public int InputSize => InputChannels * InputHeight * InputWidth;

    /// <summary>Elements of one sample's convolution output.</summary>
    public int ConvolutionSize => Filters * ConvolutionHeight * ConvolutionWidth;

    /// <summary>Elements of one sample's block output.</summary>
    public int OutputSize => Filters * OutputHeight * OutputWidth;

    /// <summary>Elements of the weight tensor (F, C, K, K).</summary>
    public int WeightCount => Filters * InputChannels * KernelSize * KernelSize;

    /// <summary>The pool that ends the block, as a standalone pool descriptor.</summary>
    public Pool2DDescriptor Pool =>
        HasPool ? new Pool2DDescriptor(Filters, ConvolutionHeight, ConvolutionWidth, PoolSize, PoolStride)
                : throw new InvalidOperationException("The block has no pool.");
}
