using CnnTrain.Devices;

namespace CnnTrain.Ops;

/// <summary>Average pool: each output is its window's sum from +0 in row-major order, divided by the window's element count.</summary>
internal readonly record struct AvgPoolForward(AvgPool2DDescriptor Geometry, int Batch, DeviceSlice<float> Input, DeviceSlice<float> Output)
{
    /// <summary>Checks the arguments, then queues the operation on <paramref name="device"/>.</summary>
    public void Run(IComputeDevice device)
    {
        SliceChecks.Batch(Batch);
        SliceChecks.Slice(device, Input, (long)Batch * Geometry.InputSize, nameof(Input));
        SliceChecks.Slice(device, Output, (long)Batch * Geometry.OutputSize, nameof(Output));
        DeviceOps.Run(device, this, AvgPoolReference.Forward, AvgPoolSimd.Forward, AvgPoolCuda.Forward);
    }
}

/// <summary>
/// The average pool's backward pass: each input position receives, summed from +0 over the windows that contain it in
/// ascending output order, its window's output gradient divided by the window's element count.
/// </summary>
internal readonly record struct AvgPoolBackward(AvgPool2DDescriptor Geometry, int Batch, DeviceSlice<float> OutputGradient, DeviceSlice<float> InputGradient)
{
    /// <summary>Checks the arguments, then queues the operation on <paramref name="device"/>.</summary>
    public void Run(IComputeDevice device)
    {
        SliceChecks.Batch(Batch);
        SliceChecks.Slice(device, OutputGradient, (long)Batch * Geometry.OutputSize, nameof(OutputGradient));
        SliceChecks.Slice(device, InputGradient, (long)Batch * Geometry.InputSize, nameof(InputGradient));
        DeviceOps.Run(device, this, AvgPoolReference.Backward, AvgPoolSimd.Backward, AvgPoolCuda.Backward);
    }
}
