using CnnTrain.Devices;
using CnnTrain.Execution;

namespace CnnTrain.Ops;

/// <summary>An AvgPool2D in a network.</summary>
internal sealed class AvgPoolStage(StageContext context, AvgPool2DDescriptor descriptor) : Stage(context, descriptor.InputSize, descriptor.OutputSize)
{
    public override void Forward(int batch, DeviceSlice<float> input, DeviceSlice<float> output) =>
        new AvgPoolForward(descriptor, batch, input, output).Run(Device);

    public override void Backward(
        int batch, DeviceSlice<float> input, DeviceSlice<float> output, DeviceSlice<float> outputGradient, DeviceSlice<float> inputGradient)
    {
        RequireTraining();
        if (!inputGradient.IsEmpty)
        {
            new AvgPoolBackward(descriptor, batch, outputGradient, inputGradient).Run(Device);
        }
    }
}
