using CnnTrain.Devices.Cpu;

namespace CnnTrain.Devices.Sequential;

/// <summary>
/// The reference device: every operation in plain scalar loops on the calling thread, written to be read.
/// It defines the bits that the other devices must reproduce (docs/numerics.md).
/// </summary>
public sealed class SequentialDevice : CpuDevice
{
    /// <inheritdoc />
    public override string Name => "sequential";

    /// <inheritdoc />
    protected override void GatherCore<T>(ReadOnlySpan<T> source, int rowLength, int sourceRows, ReadOnlySpan<int> rows, Span<T> destination) =>
        Cpu.Ops.Gather.Rows(source, rowLength, sourceRows, rows, destination);

    /// <inheritdoc />
    protected override void Convolution2DForwardCore(
        in Convolution2DDescriptor d, int batch, ReadOnlySpan<float> input, ReadOnlySpan<float> weights,
        ReadOnlySpan<float> bias, Span<float> output, Span<int> poolIndices) =>
        ReferenceConvolution.Forward(d, batch, input, weights, bias, output, poolIndices);

    /// <inheritdoc />
    protected override void Convolution2DBackwardCore(
        in Convolution2DDescriptor d, int batch, ReadOnlySpan<float> input, ReadOnlySpan<float> weights,
        ReadOnlySpan<float> output, ReadOnlySpan<int> poolIndices, ReadOnlySpan<float> outputGradient,
        Span<float> weightPartials, Span<float> biasPartials, Span<float> inputGradient) =>
        ReferenceConvolution.Backward(d, batch, input, weights, output, poolIndices, outputGradient, weightPartials, biasPartials, inputGradient);

    /// <inheritdoc />
    protected override void ReluForwardCore(ReadOnlySpan<float> input, Span<float> output) => ReferenceRelu.Forward(input, output);

    /// <inheritdoc />
    protected override void ReluBackwardCore(ReadOnlySpan<float> output, ReadOnlySpan<float> outputGradient, Span<float> inputGradient) =>
        ReferenceRelu.Backward(output, outputGradient, inputGradient);

    /// <inheritdoc />
    protected override void MaxPool2DForwardCore(in Pool2DDescriptor d, int batch, ReadOnlySpan<float> input, Span<float> output, Span<int> indices) =>
        ReferencePooling.Forward(d, batch, input, output, indices);

    /// <inheritdoc />
    protected override void MaxPool2DBackwardCore(in Pool2DDescriptor d, int batch, ReadOnlySpan<float> outputGradient, ReadOnlySpan<int> indices, Span<float> inputGradient) =>
        ReferencePooling.Backward(d, batch, outputGradient, indices, inputGradient);

    /// <inheritdoc />
    protected override void DenseForwardCore(
        in DenseDescriptor d, int batch, ReadOnlySpan<float> input, ReadOnlySpan<float> weights, ReadOnlySpan<float> bias, Span<float> output) =>
        ReferenceDense.Forward(d, batch, input, weights, bias, output);

    /// <inheritdoc />
    protected override void DenseBackwardCore(
        in DenseDescriptor d, int batch, ReadOnlySpan<float> input, ReadOnlySpan<float> weights, ReadOnlySpan<float> output,
        ReadOnlySpan<float> outputGradient, Span<float> weightGradient, Span<float> biasGradient, Span<float> inputGradient) =>
        ReferenceDense.Backward(d, batch, input, weights, output, outputGradient, weightGradient, biasGradient, inputGradient);

    /// <inheritdoc />
    protected override void SgdUpdateCore(
        Span<float> values, ReadOnlySpan<float> gradient, int partialCount, Span<float> velocity, float learningRate, float momentum, float weightDecay) =>
        ReferenceSgd.Update(values, gradient, partialCount, velocity, learningRate, momentum, weightDecay);
}
