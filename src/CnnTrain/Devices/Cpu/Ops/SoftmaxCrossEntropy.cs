using CnnTrain.Numerics;

namespace CnnTrain.Devices.Cpu.Ops;

/// <summary>
/// Softmax cross-entropy per sample in the canonical order of docs/numerics.md. Both CPU devices use it:
/// its cost (a few operations per class) is negligible beside the layers, so one plain copy serves.
/// </summary>
internal static class SoftmaxCrossEntropy
{
    public static void Run(
        int batch, int classes, ReadOnlySpan<float> logits, ReadOnlySpan<int> labels, Span<float> losses,
        Span<int> predictions, Span<float> logitGradient)
    {
        float batchSize = batch;
        for (int n = 0; n < batch; n++)
        {
            ReadOnlySpan<float> z = logits.Slice(n * classes, classes);
            float max = z[0];
            int argMax = 0;
            for (int c = 1; c < classes; c++)
            {
                if (z[c] > max)
                {
                    max = z[c];
                    argMax = c;
                }
            }

            if (!predictions.IsEmpty)
            {
                predictions[n] = argMax;
            }

            if (labels.IsEmpty)
            {
                continue;
            }

            int label = labels[n];
            if ((uint)label >= (uint)classes)
            {
                throw new ArgumentOutOfRangeException(nameof(labels), label, $"Sample {n} has label {label}, outside [0, {classes}).");
            }

            float sum = 0f;
            for (int c = 0; c < classes; c++)
            {
                sum += DeterministicMath.Exp(z[c] - max);
            }

            if (!losses.IsEmpty)
            {
                losses[n] = DeterministicMath.Log(sum) - (z[label] - max);
            }

            if (!logitGradient.IsEmpty)
            {
                Span<float> g = logitGradient.Slice(n * classes, classes);
                for (int c = 0; c < classes; c++)
                {
                    float p = DeterministicMath.Exp(z[c] - max) / sum;
                    g[c] = (c == label ? p - 1f : p) / batchSize;
                }
            }
        }
    }
}
