namespace CnnTrain.Devices.Sequential;

/// <summary>
/// SGD with momentum and weight decay in plain loops (docs/numerics.md, "Update"):
/// g = sum from +0 of the partials in ascending order; g = fma(λ, w, g) when λ ≠ 0; v = fma(μ, v, g); w = fma(-η, v, w).
/// </summary>
internal static class ReferenceSgd
{
    public static void Update(
        Span<float> values, ReadOnlySpan<float> gradient, int partialCount, Span<float> velocity, float learningRate, float momentum, float weightDecay)
    {
        int length = values.Length;
        for (int i = 0; i < length; i++)
        {
            float g = 0f;
            for (int k = 0; k < partialCount; k++)
            {
                g += gradient[(k * length) + i];
            }

            if (weightDecay != 0f)
            {
                g = MathF.FusedMultiplyAdd(weightDecay, values[i], g);
            }

            float v = MathF.FusedMultiplyAdd(momentum, velocity[i], g);
            velocity[i] = v;
            values[i] = MathF.FusedMultiplyAdd(-learningRate, v, values[i]);
        }
    }
}
