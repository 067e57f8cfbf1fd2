using CnnTrain.Devices;

namespace CnnTrain.Ops;

/// <summary>A ReLU that does not follow a convolution or dense layer: <c>output = input &gt; 0 ? input : +0</c>.</summary>
internal readonly record struct ReluForward(DeviceSlice<float> Input, DeviceSlice<float> Output)
{
    /// <summary>Checks the arguments, then queues the operation on <paramref name="device"/>.</summary>
    public void Run(IComputeDevice device)
    {
        SliceChecks.Owned(device, Input, nameof(Input));
        SliceChecks.Slice(device, Output, Input.Length, nameof(Output));
        DeviceOps.Run(device, this, ReluReference.Forward, ReluSimd.Forward, ReluCuda.Forward);
    }
}

/// <summary>ReLU's backward pass: <c>inputGradient = output &gt; 0 ? outputGradient : +0</c>.</summary>
internal readonly record struct ReluBackward(DeviceSlice<float> Output, DeviceSlice<float> OutputGradient, DeviceSlice<float> InputGradient)
{
    /// <summary>Checks the arguments, then queues the operation on <paramref name="device"/>.</summary>
    public void Run(IComputeDevice device)
    {
        SliceChecks.Owned(device, Output, nameof(Output));
        SliceChecks.Slice(device, OutputGradient, Output.Length, nameof(OutputGradient));
        SliceChecks.Slice(device, InputGradient, Output.Length, nameof(InputGradient));
        DeviceOps.Run(device, this, ReluReference.Backward, ReluSimd.Backward, ReluCuda.Backward);
    }
}
