using CnnTrain.Devices;
using CnnTrain.Execution;
using MathNet.Numerics.Random;

namespace CnnTrain.Ops;

/// <summary>A Dropout in a network: the step's masks in training, a copy in evaluation.</summary>
internal sealed class DropoutStage(StageContext context, int size, double probability) : Stage(context, size, size)
{
    private readonly float _scale = DropoutMask.Scale(probability);

    public override int MaskWords => Context.Training ? DropoutMask.WordsPerSample(InputSize) : 0;

    public override void DrawMasks(Span<int> words, int samples, RandomSource random) =>
        DropoutMask.Draw(words, samples, InputSize, probability, random);

    public override void Forward(int batch, DeviceSlice<float> input, DeviceSlice<float> output)
    {
        if (Mode == NetworkMode.Training)
        {
            new DropoutForward(batch, InputSize, _scale, Masks, input, output).Run(Device);
        }
        else
        {
            Device.Copy(input, output);
        }
    }

    public override void Backward(
        int batch, DeviceSlice<float> input, DeviceSlice<float> output, DeviceSlice<float> outputGradient, DeviceSlice<float> inputGradient)
    {
        RequireTraining();
        if (!inputGradient.IsEmpty)
        {
            new DropoutBackward(batch, InputSize, _scale, Masks, outputGradient, inputGradient).Run(Device);
        }
    }
}
