namespace CnnTrain.Devices;

/// <summary>
/// Argument checks shared by every device, so that a bad call fails the same way on each: with an
/// <see cref="ArgumentException"/> that names the argument and the lengths involved, before any work is queued.
/// </summary>
internal static class DeviceChecks
{
    public static void Batch(int batch)
    {
        if (batch < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(batch), batch, "The batch must hold at least one sample.");
        }
    }

    public static void Slice<T>(IComputeDevice device, DeviceSlice<T> slice, long expectedLength, string name)
        where T : unmanaged
    {
        Owned(device, slice, name);
        if (slice.Length != expectedLength)
        {
            throw new ArgumentException($"{name} has {slice.Length} elements; this operation needs {expectedLength}.", name);
        }
    }

    public static void Optional<T>(IComputeDevice device, DeviceSlice<T> slice, long expectedLength, string name)
        where T : unmanaged
    {
        if (!slice.IsEmpty)
        {
            Slice(device, slice, expectedLength, name);
        }
    }

    public static void Owned<T>(IComputeDevice device, DeviceSlice<T> slice, string name)
        where T : unmanaged
    {
        if (slice.Buffer is null)
        {
            throw new ArgumentException($"{name} is the empty slice; this operation needs memory there.", name);
        }

        if (!ReferenceEquals(slice.Buffer.Device, device))
        {
            throw new ArgumentException($"{name} belongs to device '{slice.Buffer.Device.Name}', not to '{device.Name}'.", name);
        }

        slice.Buffer.ThrowIfDisposed();
    }

    public static void SameLength(int source, int destination, string name)
    {
        if (source != destination)
        {
            throw new ArgumentException($"{name} has {destination} elements; the source has {source}.", name);
        }
    }

    public static void Gather<T>(IComputeDevice device, DeviceSlice<T> source, int rowLength, DeviceSlice<int> rows, DeviceSlice<T> destination)
        where T : unmanaged
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rowLength, 1);
        Owned(device, source, nameof(source));
        Owned(device, rows, nameof(rows));
        if (source.Length % rowLength != 0)
        {
            throw new ArgumentException($"source has {source.Length} elements, not a whole number of rows of {rowLength}.", nameof(source));
        }

        Slice(device, destination, (long)rows.Length * rowLength, nameof(destination));
    }

    public static void Convolution2DForward(
        IComputeDevice device, in Convolution2DDescriptor d, int batch, DeviceSlice<float> input, DeviceSlice<float> weights,
        DeviceSlice<float> bias, DeviceSlice<float> output, DeviceSlice<int> poolIndices)
    {
        Batch(batch);
        Slice(device, input, (long)batch * d.InputSize, nameof(input));
        Slice(device, weights, d.WeightCount, nameof(weights));
        Slice(device, bias, d.Filters, nameof(bias));
        Slice(device, output, (long)batch * d.OutputSize, nameof(output));
        PoolIndices(device, d, batch, poolIndices);
    }

    public static void Convolution2DBackward(
        IComputeDevice device, in Convolution2DDescriptor d, int batch, DeviceSlice<float> input, DeviceSlice<float> weights,
        DeviceSlice<float> output, DeviceSlice<int> poolIndices, DeviceSlice<float> outputGradient,
        DeviceSlice<float> weightPartials, DeviceSlice<float> biasPartials, DeviceSlice<float> inputGradient)
    {
        Batch(batch);
        Slice(device, input, (long)batch * d.InputSize, nameof(input));
        Slice(device, weights, d.WeightCount, nameof(weights));
        Slice(device, output, (long)batch * d.OutputSize, nameof(output));
        PoolIndices(device, d, batch, poolIndices);
        Slice(device, outputGradient, (long)batch * d.OutputSize, nameof(outputGradient));
        Slice(device, weightPartials, (long)batch * d.WeightCount, nameof(weightPartials));
        Slice(device, biasPartials, (long)batch * d.Filters, nameof(biasPartials));
        Optional(device, inputGradient, (long)batch * d.InputSize, nameof(inputGradient));
    }

    public static void Elementwise(IComputeDevice device, DeviceSlice<float> first, DeviceSlice<float> second, string secondName, DeviceSlice<float> result, string resultName)
    {
        Owned(device, first, "input");
        Slice(device, second, first.Length, secondName);
        Slice(device, result, first.Length, resultName);
    }

    public static void MaxPool2D(
        IComputeDevice device, in Pool2DDescriptor d, int batch, DeviceSlice<float> input, string inputName,
        DeviceSlice<float> output, string outputName, DeviceSlice<int> indices)
    {
        Batch(batch);
        Slice(device, input, (long)batch * d.InputSize, inputName);
        Slice(device, output, (long)batch * d.OutputSize, outputName);
        Slice(device, indices, (long)batch * d.OutputSize, nameof(indices));
    }

    public static void DenseForward(
        IComputeDevice device, in DenseDescriptor d, int batch, DeviceSlice<float> input, DeviceSlice<float> weights,
        DeviceSlice<float> bias, DeviceSlice<float> output)
    {
        Batch(batch);
        Slice(device, input, (long)batch * d.Inputs, nameof(input));
        Slice(device, weights, d.WeightCount, nameof(weights));
        Slice(device, bias, d.Outputs, nameof(bias));
        Slice(device, output, (long)batch * d.Outputs, nameof(output));
    }

    public static void DenseBackward(
        IComputeDevice device, in DenseDescriptor d, int batch, DeviceSlice<float> input, DeviceSlice<float> weights,
        DeviceSlice<float> output, DeviceSlice<float> outputGradient, DeviceSlice<float> weightGradient,
        DeviceSlice<float> biasGradient, DeviceSlice<float> inputGradient)
    {
        Batch(batch);
        Slice(device, input, (long)batch * d.Inputs, nameof(input));
        Slice(device, weights, d.WeightCount, nameof(weights));
        Slice(device, output, (long)batch * d.Outputs, nameof(output));
        Slice(device, biasGradient, d.Outputs, nameof(biasGradient));
        Slice(device, outputGradient, (long)batch * d.Outputs, nameof(outputGradient));
        Slice(device, weightGradient, d.WeightCount, nameof(weightGradient));
        Optional(device, inputGradient, (long)batch * d.Inputs, nameof(inputGradient));
    }

    public static void SoftmaxCrossEntropy(
        IComputeDevice device, int batch, int classes, DeviceSlice<float> logits, DeviceSlice<int> labels,
        DeviceSlice<float> losses, DeviceSlice<int> predictions, DeviceSlice<float> logitGradient)
    {
        Batch(batch);
        ArgumentOutOfRangeException.ThrowIfLessThan(classes, 2);
        Slice(device, logits, (long)batch * classes, nameof(logits));
        Optional(device, labels, batch, nameof(labels));
        Optional(device, predictions, batch, nameof(predictions));
        if (labels.IsEmpty && !(losses.IsEmpty && logitGradient.IsEmpty))
        {
            throw new ArgumentException("Losses and logit gradients need labels.", nameof(labels));
        }

        Optional(device, losses, batch, nameof(losses));
        Optional(device, logitGradient, (long)batch * classes, nameof(logitGradient));
    }

    public static void SgdUpdate(IComputeDevice device, ReadOnlySpan<SgdTensor> tensors, DeviceSlice<float> learningRate, float momentum, float weightDecay)
    {
        Slice(device, learningRate, 1, nameof(learningRate));
        if (!float.IsFinite(momentum) || momentum < 0f)
        {
            throw new ArgumentOutOfRangeException(nameof(momentum), momentum, "Momentum must be finite and non-negative.");
        }

        if (!float.IsFinite(weightDecay) || weightDecay < 0f)
        {
            throw new ArgumentOutOfRangeException(nameof(weightDecay), weightDecay, "Weight decay must be finite and non-negative.");
        }

        for (int i = 0; i < tensors.Length; i++)
        {
            Owned(device, tensors[i].Values, $"tensors[{i}].Values");
            Owned(device, tensors[i].Gradient, $"tensors[{i}].Gradient");
            Owned(device, tensors[i].Velocity, $"tensors[{i}].Velocity");
        }
    }

    private static void PoolIndices(IComputeDevice device, in Convolution2DDescriptor d, int batch, DeviceSlice<int> poolIndices)
    {
        if (d.HasPool)
        {
            Slice(device, poolIndices, (long)batch * d.OutputSize, nameof(poolIndices));
        }
        else if (!poolIndices.IsEmpty)
        {
            throw new ArgumentException("The block has no pool, so it takes no pool indices.", nameof(poolIndices));
        }
    }
}
