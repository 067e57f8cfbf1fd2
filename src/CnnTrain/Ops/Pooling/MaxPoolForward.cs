using CnnTrain.Devices;

namespace CnnTrain.Ops;

/// <summary>A max pool that does not follow a convolution: each window's first maximum and, in <see cref="Indices"/>, its position within the plane.</summary>
internal readonly record struct MaxPoolForward(
    Pool2DDescriptor Geometry, int Batch, DeviceSlice<float> Input, DeviceSlice<float> Output, DeviceSlice<int> Indices)
{
    /// <summary>Checks the arguments, then queues the operation on <paramref name="device"/>.</summary>
    public void Run(IComputeDevice device)
    {
        MaxPoolChecks.Shapes(device, Geometry, Batch, Input, nameof(Input), Output, nameof(Output), Indices);
        SliceChecks.WritesIndices(Indices);
        DeviceOps.Run(device, this, MaxPoolReference.Forward, MaxPoolSimd.Forward, MaxPoolCuda.Forward);
    }
}

/// <summary>The max pool's backward pass: routes each output gradient to the position that won its window (docs/numerics.md).</summary>
internal readonly record struct MaxPoolBackward(
    Pool2DDescriptor Geometry, int Batch, DeviceSlice<float> OutputGradient, DeviceSlice<int> Indices, DeviceSlice<float> InputGradient)
{
    /// <summary>Checks the arguments, then queues the operation on <paramref name="device"/>.</summary>
    public void Run(IComputeDevice device)
    {
        MaxPoolChecks.Shapes(device, Geometry, Batch, InputGradient, nameof(InputGradient), OutputGradient, nameof(OutputGradient), Indices);
        DeviceOps.Run(device, this, MaxPoolReference.Backward, MaxPoolSimd.Backward, MaxPoolCuda.Backward);
    }
}

/// <summary>The checks the max pool's operations share.</summary>
internal static class MaxPoolChecks
{
    public static void Shapes(
        IComputeDevice device, in Pool2DDescriptor d, int batch, DeviceSlice<float> input, string inputName,
        DeviceSlice<float> output, string outputName, DeviceSlice<int> indices)
    {
        SliceChecks.Batch(batch);
        SliceChecks.Slice(device, input, (long)batch * d.InputSize, inputName);
        SliceChecks.Slice(device, output, (long)batch * d.OutputSize, outputName);
        SliceChecks.Slice(device, indices, (long)batch * d.OutputSize, nameof(indices));
    }
}
