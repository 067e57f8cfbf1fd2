using CnnTrain.Devices;
using CnnTrain.Execution;

namespace CnnTrain.Ops;

/// <summary>A ReLU that does not follow a Conv2D or Dense.</summary>
internal sealed class ReluStage(StageContext context, int size) : Stage(context, size, size)
{
    public override void Forward(int batch, DeviceSlice<float> input, DeviceSlice<float> output) => new ReluForward(input, output).Run(Device);

    public override void Backward(
        int batch, DeviceSlice<float> input, DeviceSlice<float> output, DeviceSlice<float> outputGradient, DeviceSlice<float> inputGradient)
    {
        RequireTraining();
        if (!inputGradient.IsEmpty)
        {
            new ReluBackward(output, outputGradient, inputGradient).Run(Device);
        }
    }
}
