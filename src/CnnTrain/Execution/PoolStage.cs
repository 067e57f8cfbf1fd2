using CnnTrain.Devices;

namespace CnnTrain.Execution;

/// <summary>A MaxPool2D that does not follow a Conv2D.</summary>
internal sealed class PoolStage : Stage
{
    private readonly Pool2DDescriptor _descriptor;
    private readonly DeviceBuffer<int> _indices;

    public PoolStage(IComputeDevice device, int maxBatch, Pool2DDescriptor descriptor)
        : base(device, descriptor.InputSize, descriptor.OutputSize)
    {
        _descriptor = descriptor;
        _indices = device.Allocate<int>(checked(maxBatch * descriptor.OutputSize));
    }

    public override void Forward(int batch, DeviceSlice<float> input, DeviceSlice<float> output) =>
        Device.MaxPool2DForward(_descriptor, batch, input, output, _indices.Slice(0, batch * OutputSize));

    public override void Backward(
        int batch, DeviceSlice<float> input, DeviceSlice<float> output, DeviceSlice<float> outputGradient, DeviceSlice<float> inputGradient)
    {
        if (!inputGradient.IsEmpty)
        {
            Device.MaxPool2DBackward(_descriptor, batch, outputGradient, _indices.Slice(0, batch * OutputSize), inputGradient);
        }
    }

    public override void Dispose()
    {
        base.Dispose();
        _indices.Dispose();
    }
}
