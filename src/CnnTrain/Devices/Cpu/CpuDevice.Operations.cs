namespace CnnTrain.Devices.Cpu;

public abstract partial class CpuDevice
{
    /// <inheritdoc />
    public void Convolution2DForward(
        in Convolution2DDescriptor descriptor, int batch, DeviceSlice<float> input, DeviceSlice<float> weights,
        DeviceSlice<float> bias, DeviceSlice<float> output, DeviceSlice<int> poolIndices)
    {
        DeviceChecks.Convolution2DForward(this, descriptor, batch, input, weights, bias, output, poolIndices);
        var d = descriptor;
        Enqueue(() => Convolution2DForwardCore(d, batch, Span(input), Span(weights), Span(bias), Span(output), Span(poolIndices)));
    }

    /// <inheritdoc />
    public void Convolution2DBackward(
        in Convolution2DDescriptor descriptor, int batch, DeviceSlice<float> input, DeviceSlice<float> weights,
        DeviceSlice<float> output, DeviceSlice<int> poolIndices, DeviceSlice<float> outputGradient,
        DeviceSlice<float> weightPartials, DeviceSlice<float> biasPartials, DeviceSlice<float> inputGradient)
    {
        DeviceChecks.Convolution2DBackward(
            this, descriptor, batch, input, weights, output, poolIndices, outputGradient, weightPartials, biasPartials, inputGradient);
        var d = descriptor;
        Enqueue(() => Convolution2DBackwardCore(
            d, batch, Span(input), Span(weights), Span(output), Span(poolIndices), Span(outputGradient),
            Span(weightPartials), Span(biasPartials), Span(inputGradient)));
    }

    /// <inheritdoc />
    public void ReluForward(DeviceSlice<float> input, DeviceSlice<float> output)
    {
        DeviceChecks.Owned(this, input, nameof(input));
        DeviceChecks.Slice(this, output, input.Length, nameof(output));
        Enqueue(() => ReluForwardCore(Span(input), Span(output)));
    }

    /// <inheritdoc />
    public void ReluBackward(DeviceSlice<float> output, DeviceSlice<float> outputGradient, DeviceSlice<float> inputGradient)
    {
        DeviceChecks.Elementwise(this, output, outputGradient, nameof(outputGradient), inputGradient, nameof(inputGradient));
        Enqueue(() => ReluBackwardCore(Span(output), Span(outputGradient), Span(inputGradient)));
    }

    /// <inheritdoc />
    public void MaxPool2DForward(in Pool2DDescriptor descriptor, int batch, DeviceSlice<float> input, DeviceSlice<float> output, DeviceSlice<int> indices)
    {
        DeviceChecks.MaxPool2D(this, descriptor, batch, input, nameof(input), output, nameof(output), indices);
        var d = descriptor;
        Enqueue(() => MaxPool2DForwardCore(d, batch, Span(input), Span(output), Span(indices)));
    }

    /// <inheritdoc />
    public void MaxPool2DBackward(in Pool2DDescriptor descriptor, int batch, DeviceSlice<float> outputGradient, DeviceSlice<int> indices, DeviceSlice<float> inputGradient)
    {
        DeviceChecks.MaxPool2D(this, descriptor, batch, inputGradient, nameof(inputGradient), outputGradient, nameof(outputGradient), indices);
        var d = descriptor;
        Enqueue(() => MaxPool2DBackwardCore(d, batch, Span(outputGradient), Span(indices), Span(inputGradient)));
    }

    /// <inheritdoc />
    public void DenseForward(
        in DenseDescriptor descriptor, int batch, DeviceSlice<float> input, DeviceSlice<float> weights,
        DeviceSlice<float> bias, DeviceSlice<float> output)
    {
        DeviceChecks.DenseForward(this, descriptor, batch, input, weights, bias, output);
        var d = descriptor;
        Enqueue(() => DenseForwardCore(d, batch, Span(input), Span(weights), Span(bias), Span(output)));
    }

    /// <inheritdoc />
    public void DenseBackward(
        in DenseDescriptor descriptor, int batch, DeviceSlice<float> input, DeviceSlice<float> weights,
        DeviceSlice<float> output, DeviceSlice<float> outputGradient, DeviceSlice<float> weightGradient,
        DeviceSlice<float> biasGradient, DeviceSlice<float> inputGradient)
    {
        DeviceChecks.DenseBackward(this, descriptor, batch, input, weights, output, outputGradient, weightGradient, biasGradient, inputGradient);
        var d = descriptor;
        Enqueue(() => DenseBackwardCore(
            d, batch, Span(input), Span(weights), Span(output), Span(outputGradient), Span(weightGradient), Span(biasGradient), Span(inputGradient)));
    }

    /// <inheritdoc />
    public void SoftmaxCrossEntropy(
        int batch, int classes, DeviceSlice<float> logits, DeviceSlice<int> labels, DeviceSlice<float> losses,
        DeviceSlice<int> predictions, DeviceSlice<float> logitGradient)
    {
        DeviceChecks.SoftmaxCrossEntropy(this, batch, classes, logits, labels, losses, predictions, logitGradient);
        Enqueue(() => Ops.SoftmaxCrossEntropy.Run(batch, classes, Span(logits), Span(labels), Span(losses), Span(predictions), Span(logitGradient)));
    }

    /// <inheritdoc />
    public void SgdUpdate(ReadOnlySpan<SgdTensor> tensors, DeviceSlice<float> learningRate, float momentum, float weightDecay)
    {
        DeviceChecks.SgdUpdate(this, tensors, learningRate, momentum, weightDecay);
        SgdTensor[] copy = tensors.ToArray();
        Enqueue(() =>
        {
            float rate = Span(learningRate)[0];
            foreach (SgdTensor t in copy)
            {
                SgdUpdateCore(Span(t.Values), Span(t.Gradient), t.PartialCount, Span(t.Velocity), rate, momentum, weightDecay);
            }
        });
    }

    /// <summary>Convolution block forward on host memory (see <see cref="Convolution2DForward"/>).</summary>
    protected abstract void Convolution2DForwardCore(
        in Convolution2DDescriptor d, int batch, ReadOnlySpan<float> input, ReadOnlySpan<float> weights,
        ReadOnlySpan<float> bias, Span<float> output, Span<int> poolIndices);

    /// <summary>Convolution block backward on host memory (see <see cref="Convolution2DBackward"/>).</summary>
    protected abstract void Convolution2DBackwardCore(
        in Convolution2DDescriptor d, int batch, ReadOnlySpan<float> input, ReadOnlySpan<float> weights,
        ReadOnlySpan<float> output, ReadOnlySpan<int> poolIndices, ReadOnlySpan<float> outputGradient,
        Span<float> weightPartials, Span<float> biasPartials, Span<float> inputGradient);

    /// <summary>ReLU forward on host memory.</summary>
    protected abstract void ReluForwardCore(ReadOnlySpan<float> input, Span<float> output);

    /// <summary>ReLU backward on host memory.</summary>
    protected abstract void ReluBackwardCore(ReadOnlySpan<float> output, ReadOnlySpan<float> outputGradient, Span<float> inputGradient);

    /// <summary>Max pool forward on host memory.</summary>
    protected abstract void MaxPool2DForwardCore(in Pool2DDescriptor d, int batch, ReadOnlySpan<float> input, Span<float> output, Span<int> indices);

    /// <summary>Max pool backward on host memory.</summary>
    protected abstract void MaxPool2DBackwardCore(in Pool2DDescriptor d, int batch, ReadOnlySpan<float> outputGradient, ReadOnlySpan<int> indices, Span<float> inputGradient);

    /// <summary>Dense forward on host memory.</summary>
    protected abstract void DenseForwardCore(
        in DenseDescriptor d, int batch, ReadOnlySpan<float> input, ReadOnlySpan<float> weights, ReadOnlySpan<float> bias, Span<float> output);

    /// <summary>Dense backward on host memory.</summary>
    protected abstract void DenseBackwardCore(
        in DenseDescriptor d, int batch, ReadOnlySpan<float> input, ReadOnlySpan<float> weights, ReadOnlySpan<float> output,
        ReadOnlySpan<float> outputGradient, Span<float> weightGradient, Span<float> biasGradient, Span<float> inputGradient);

    /// <summary>One tensor's SGD step on host memory.</summary>
    protected abstract void SgdUpdateCore(
        Span<float> values, ReadOnlySpan<float> gradient, int partialCount, Span<float> velocity, float learningRate, float momentum, float weightDecay);
}
