using CnnTrain.Devices;

namespace CnnTrain.Ops;

/// <summary>
/// Dropout in training over <see cref="Batch"/> samples of <see cref="Size"/> elements: element i of sample n is kept
/// where bit i % 32 of mask word n × ⌈size / 32⌉ + i / 32 is set, <c>output = kept ? input * Scale : +0</c>.
/// </summary>
internal readonly record struct DropoutForward(int Batch, int Size, float Scale, DeviceSlice<int> Masks, DeviceSlice<float> Input, DeviceSlice<float> Output)
{
    /// <summary>Checks the arguments, then queues the operation on <paramref name="device"/>.</summary>
    public void Run(IComputeDevice device)
    {
        DropoutMask.Check(device, Batch, Size, Masks);
        SliceChecks.Slice(device, Input, (long)Batch * Size, nameof(Input));
        SliceChecks.Slice(device, Output, (long)Batch * Size, nameof(Output));
        DeviceOps.Run(device, this, DropoutReference.Forward, DropoutSimd.Forward, DropoutCuda.Forward);
    }
}

/// <summary>Dropout's backward pass with the forward pass's masks: <c>inputGradient = kept ? outputGradient * Scale : +0</c>.</summary>
internal readonly record struct DropoutBackward(
    int Batch, int Size, float Scale, DeviceSlice<int> Masks, DeviceSlice<float> OutputGradient, DeviceSlice<float> InputGradient)
{
    /// <summary>Checks the arguments, then queues the operation on <paramref name="device"/>.</summary>
    public void Run(IComputeDevice device)
    {
        DropoutMask.Check(device, Batch, Size, Masks);
        SliceChecks.Slice(device, OutputGradient, (long)Batch * Size, nameof(OutputGradient));
        SliceChecks.Slice(device, InputGradient, (long)Batch * Size, nameof(InputGradient));
        DeviceOps.Run(device, this, DropoutReference.Backward, DropoutSimd.Backward, DropoutCuda.Backward);
    }
}
