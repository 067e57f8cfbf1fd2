namespace CnnTrain.Devices.Sequential;

/// <summary>ReLU in plain loops. Exact: no rounding happens, so every device agrees by construction.</summary>
internal static class ReferenceRelu
{
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
