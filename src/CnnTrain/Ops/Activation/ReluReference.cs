using CnnTrain.Devices.Cpu;

namespace CnnTrain.Ops;

/// <summary>ReLU in plain loops. Exact: no rounding happens, so every device agrees by construction.</summary>
internal static class ReluReference
{
    public static void Forward(CpuDevice cpu, in ReluForward op) => Forward(CpuDevice.Span(op.Input), CpuDevice.Span(op.Output));

    public static void Backward(CpuDevice cpu, in ReluBackward op) =>
        Backward(CpuDevice.Span(op.Output), CpuDevice.Span(op.OutputGradient), CpuDevice.Span(op.InputGradient));

    public static void Forward(ReadOnlySpan<float> input, Span<float> output)
    {
        for (int i = 0; i < input.Length; i++)
        {
            output[i] = input[i] > 0f ? input[i] : 0f;
        }
    }

    public static void Backward(ReadOnlySpan<float> output, ReadOnlySpan<float> outputGradient, Span<float> inputGradient)
    {
        for (int i = 0; i < output.Length; i++)
        {
            inputGradient[i] = output[i] > 0f ? outputGradient[i] : 0f;
        }
    }
}
