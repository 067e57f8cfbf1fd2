using CnnTrain.Devices;

namespace CnnTrain.Execution;

/// <summary>A ReLU that does not follow a Conv2D or Dense.</summary>
internal sealed class ReluStage(IComputeDevice device, int size) : Stage(device, size, size)
{
    public override void Forward(int batch, DeviceSlice<float> input, DeviceSlice<float> output) => Device.ReluForward(input, output);

    public override void Backward(
        int batch, DeviceSlice<float> input, DeviceSlice<float> output, DeviceSlice<float> outputGradient, DeviceSlice<float> inputGradient)
    {
        if (!inputGradient.IsEmpty)
        {
            Device.ReluBackward(output, outputGradient, inputGradient);
        }
    }
}
