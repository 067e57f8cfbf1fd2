using CnnTrain.Devices;
using CnnTrain.Execution;

namespace CnnTrain.Ops;

/// <summary>A MaxPool2D that does not follow a Conv2D.</summary>
internal sealed class MaxPoolStage : Stage
{
    private readonly Pool2DDescriptor _descriptor;
    private readonly DeviceBuffer<int> _indices;

    public MaxPoolStage(StageContext context, Pool2DDescriptor descriptor)
        : base(context, descriptor.InputSize, descriptor.OutputSize)
    {
        _descriptor = descriptor;
        _indices = context.Device.Allocate<int>(checked(context.MaxBatch * descriptor.OutputSize));
    }

    public override void Forward(int batch, DeviceSlice<float> input, DeviceSlice<float> output) =>
        new MaxPoolForward(_descriptor, batch, input, output, _indices.Slice(0, batch * OutputSize)).Run(Device);

    public override void Backward(
        int batch, DeviceSlice<float> input, DeviceSlice<float> output, DeviceSlice<float> outputGradient, DeviceSlice<float> inputGradient)
    {
        RequireTraining();
        if (!inputGradient.IsEmpty)
        {
            new MaxPoolBackward(_descriptor, batch, outputGradient, _indices.Slice(0, batch * OutputSize), inputGradient).Run(Device);
        }
    }

    public override void Dispose()
    {
        base.Dispose();
        _indices.Dispose();
    }
}
