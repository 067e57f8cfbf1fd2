using CnnTrain.Devices;
using CnnTrain.Numerics;

namespace CnnTrain.Ops;

/// <summary>The forward pass of a dense block: <c>output = act(W input + b)</c> (docs/numerics.md, "Dense block").</summary>
internal readonly record struct DenseForward(
    DenseDescriptor Geometry, int Batch, DeviceSlice<float> Input, DeviceSlice<float> Weights, DeviceSlice<float> Bias, DeviceSlice<float> Output)
{
    /// <summary>Checks the arguments, then queues the operation on <paramref name="device"/>.</summary>
    public void Run(IComputeDevice device)
    {
        DenseDescriptor d = Geometry;
        SliceChecks.Batch(Batch);
        SliceChecks.Slice(device, Input, (long)Batch * d.Inputs, nameof(Input));
        SliceChecks.Slice(device, Weights, d.WeightCount, nameof(Weights));
        SliceChecks.Slice(device, Bias, d.Outputs, nameof(Bias));
        SliceChecks.Slice(device, Output, (long)Batch * d.Outputs, nameof(Output));
        DeviceOps.Run(device, this, DenseReference.Forward, DenseSimd.Forward, DenseCuda.Forward);
    }
}

/// <summary>
/// The backward pass of a dense block: the weight and bias gradients of each chunk of the batch (ceil(B / 16) partials
/// end to end, which the update joins in the batch tree), and, when <see cref="InputGradient"/> is not empty, the
/// gradient with respect to the input.
/// </summary>
internal readonly record struct DenseBackward(
    DenseDescriptor Geometry, int Batch, DeviceSlice<float> Input, DeviceSlice<float> Weights, DeviceSlice<float> Output,
    DeviceSlice<float> OutputGradient, DeviceSlice<float> WeightGradient, DeviceSlice<float> BiasGradient, DeviceSlice<float> InputGradient)
{
    /// <summary>Checks the arguments, then queues the operation on <paramref name="device"/>.</summary>
    public void Run(IComputeDevice device)
    {
        DenseDescriptor d = Geometry;
        SliceChecks.Batch(Batch);
        SliceChecks.Slice(device, Input, (long)Batch * d.Inputs, nameof(Input));
        SliceChecks.Slice(device, Weights, d.WeightCount, nameof(Weights));
        SliceChecks.Slice(device, Output, (long)Batch * d.Outputs, nameof(Output));
        SliceChecks.Slice(device, OutputGradient, (long)Batch * d.Outputs, nameof(OutputGradient));
        int chunks = BatchTree.Chunks(Batch);
        SliceChecks.Slice(device, WeightGradient, (long)chunks * d.WeightCount, nameof(WeightGradient));
        SliceChecks.Slice(device, BiasGradient, (long)chunks * d.Outputs, nameof(BiasGradient));
        SliceChecks.Optional(device, InputGradient, (long)Batch * d.Inputs, nameof(InputGradient));
        DeviceOps.Run(device, this, DenseReference.Backward, DenseSimd.Backward, DenseCuda.Backward);
    }
}
