namespace CnnTrain.Numerics;

/// <summary>
/// Softmax probabilities in the order the loss uses (docs/numerics.md, "Softmax cross-entropy"): the first maximum
/// m, the sum of <see cref="DeterministicMath.Exp"/>(z − m) in class order from +0, then each exp(z − m) / sum. Logits
/// are the same bits on every device, so the probabilities are too.
/// </summary>
internal static class DeterministicSoftmax
{
    /// <summary>Writes the probabilities of <paramref name="logits"/> to <paramref name="probabilities"/> (same length) and returns the first maximum's class.</summary>
    public static int Run(ReadOnlySpan<float> logits, Span<float> probabilities)
    {
        float max = logits[0];
        int argMax = 0;
        for (int c = 1; c < logits.Length; c++)
        {
            if (logits[c] > max)
            {
                max = logits[c];
                argMax = c;
            }
        }

        float sum = 0f;
        for (int c = 0; c < logits.Length; c++)
        {
            sum += DeterministicMath.Exp(logits[c] - max);
        }

        for (int c = 0; c < logits.Length; c++)
        {
            probabilities[c] = DeterministicMath.Exp(logits[c] - max) / sum;
        }

        return argMax;
    }
}
