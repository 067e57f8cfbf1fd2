using CnnTrain.Execution;
using CnnTrain.Onnx;
using CnnTrain.Ops;
using CnnTrain.Persistence;
using MathNet.Numerics.Random;

namespace CnnTrain.Layers;

/// <summary>
/// A 2-D convolution with <see cref="Filters"/> square filters plus a bias per filter, over an image input
/// (channels, height, width). Weights have shape (filters, channels, kernel, kernel).
/// </summary>
public sealed class Conv2D : Layer
{
    /// <summary>Creates the layer.</summary>
    /// <param name="filters">Output channels; at least 1.</param>
    /// <param name="kernelSize">Square kernel extent; at least 1.</param>
    /// <param name="stride">Step between kernel positions; at least 1.</param>
    /// <param name="padding">Zero padding on each side; from 0 to <paramref name="kernelSize"/> - 1.</param>
    /// <param name="inputChannels">Expected input channels, checked against the network; null to take them from the input.</param>
    /// <exception cref="ArgumentOutOfRangeException">A value out of its range; the message names it.</exception>
    public Conv2D(int filters, int kernelSize = 3, int stride = 1, int padding = 0, int? inputChannels = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(filters, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(kernelSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(stride, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(padding);
        if (padding >= kernelSize)
        {
            throw new ArgumentOutOfRangeException(nameof(padding), padding, $"Padding must be smaller than the kernel size {kernelSize}.");
        }

        if (inputChannels is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(inputChannels), inputChannels, "Input channels must be at least 1.");
        }

        // Even one input channel gives filters x kernel x kernel weights; refused now rather than when the network is built.
        if (Parameter.CountOf([filters, kernelSize, kernelSize]) > Parameter.MaxCount)
        {
            throw new ArgumentOutOfRangeException(
                nameof(kernelSize), kernelSize,
                $"{filters} filters of {kernelSize}x{kernelSize} need more than the {Parameter.MaxCount} weights one tensor can hold.");
        }

        Filters = filters;
        KernelSize = kernelSize;
        Stride = stride;
        Padding = padding;
        ExpectedInputChannels = inputChannels;
    }

    /// <inheritdoc />
    public override string Kind => "Conv2D";

    /// <summary>Number of filters (output channels).</summary>
    public int Filters { get; }

    /// <summary>Square kernel extent.</summary>
    public int KernelSize { get; }

    /// <summary>Step between kernel positions.</summary>
    public int Stride { get; }

    /// <summary>Zero padding on each side.</summary>
    public int Padding { get; }

    /// <summary>The input channels given at construction, if any.</summary>
    public int? ExpectedInputChannels { get; }

    /// <summary>The weights, (filters, channels, kernel, kernel).</summary>
    public Parameter Weights => Parameters[0];

    /// <summary>The biases, one per filter.</summary>
    public Parameter Bias => Parameters[1];

    /// <summary>The layer and the settings that differ from the defaults, e.g. "Conv2D(32, 3x3, padding 1)".</summary>
    public override string ToString() =>
        $"Conv2D({Filters}, {KernelSize}x{KernelSize}{(Stride == 1 ? string.Empty : $", stride {Stride}")}{(Padding == 0 ? string.Empty : $", padding {Padding}")})";

    internal static Layer Read(PayloadReader reader) => new Conv2D(reader.Int32(), reader.Int32(), reader.Int32(), reader.Int32());

    internal override void WriteSettings(PayloadWriter writer)
    {
        writer.Int32(Filters);
        writer.Int32(KernelSize);
        writer.Int32(Stride);
        writer.Int32(Padding);
    }

    /// <summary>One convolution stage, with the ReLU and then the MaxPool2D that follow fused into it.</summary>
    internal override int Plan(StagePlanner planner, int index)
    {
        int used = 1;
        Activation activation = Activation.None;
        if (planner.LayerAt(index + used) is ReLU)
        {
            activation = Activation.Relu;
            used++;
        }

        MaxPool2D? pool = planner.LayerAt(index + used) as MaxPool2D;
        if (pool is not null)
        {
            used++;
        }

        var descriptor = new Convolution2DDescriptor(
            InputShape.Channels, InputShape.Height, InputShape.Width, Filters, KernelSize, Stride, Padding,
            activation, pool?.Size ?? 0, pool?.Stride ?? 0);
        planner.Add(new ConvolutionStage(planner.Context, descriptor, Weights, Bias), index, used);
        return used;
    }

    /// <summary>A Conv node: the weights' (filters, channels, kernel, kernel) is ONNX's layout, and both count zero padding alike.</summary>
    internal override string ExportOnnx(OnnxGraphWriter graph, string input) =>
        graph.Node(
            "Conv", Name, [input, graph.Initializer(Weights), graph.Initializer(Bias)],
            OnnxAttribute.Ints("kernel_shape", KernelSize, KernelSize),
            OnnxAttribute.Ints("strides", Stride, Stride),
            OnnxAttribute.Ints("pads", Padding, Padding, Padding, Padding));

    private protected override TensorShape InferOutputShape(TensorShape input)
    {
        RequireImage(input);

        if (ExpectedInputChannels is int channels && channels != input.Channels)
        {
            throw new ArgumentException($"Conv2D was built for {channels} input channels; its input {input} has {input.Channels}.");
        }

        long paddedHeight = input.Height + (2L * Padding);
        long paddedWidth = input.Width + (2L * Padding);
        if (KernelSize > paddedHeight || KernelSize > paddedWidth)
        {
            throw new ArgumentException($"Conv2D kernel size {KernelSize} is larger than its padded input {paddedHeight}x{paddedWidth}.");
        }

        // The devices index the padded plane in int.
        if (paddedHeight > int.MaxValue || paddedWidth > int.MaxValue)
        {
            throw new ArgumentException($"Conv2D padding {Padding} makes its input {paddedHeight}x{paddedWidth}, beyond {int.MaxValue} a side.");
        }

        return TensorShape.Image(Filters, (int)(((paddedHeight - KernelSize) / Stride) + 1), (int)(((paddedWidth - KernelSize) / Stride) + 1));
    }

    private protected override IReadOnlyList<ParameterShape> ParameterShapes(TensorShape input, string name) =>
    [
        Tensor($"{name}.weights", Filters, input.Channels, KernelSize, KernelSize),
        Tensor($"{name}.bias", Filters),
    ];

    internal override void Initialize(RandomSource random, Initialization initialization)
    {
        FillNormal(Weights.Values, random, WeightScale(initialization, (long)InputShape.Channels * KernelSize * KernelSize));
        Array.Clear(Bias.Values);
    }
}
