using CnnTrain.Devices.Cpu;
using CnnTrain.Numerics;

namespace CnnTrain.Ops;

/// <summary>Softmax cross-entropy per sample in plain loops, in the canonical order of docs/numerics.md.</summary>
internal static class SoftmaxCrossEntropyReference
{
    public static void Run(CpuDevice cpu, in SoftmaxCrossEntropy op)
    {
        for (int n = 0; n < op.Batch; n++)
        {
            Sample(op, n);
        }
    }

    /// <summary>Sample <paramref name="n"/>'s prediction, loss and logit gradient.</summary>
    public static void Sample(in SoftmaxCrossEntropy op, int n)
    {
        int classes = op.Classes;
        ReadOnlySpan<float> z = CpuDevice.Span(op.Logits).Slice(n * classes, classes);
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

        if (!op.Predictions.IsEmpty)
        {
            CpuDevice.Span(op.Predictions)[n] = argMax;
        }

        if (op.Labels.IsEmpty)
        {
            return;
        }

        int label = CpuDevice.Span(op.Labels)[n];
        float sum = 0f;
        for (int c = 0; c < classes; c++)
        {
            sum += DeterministicMath.Exp(z[c] - max);
        }

        if (!op.Losses.IsEmpty)
        {
            CpuDevice.Span(op.Losses)[n] = DeterministicMath.Log(sum) - (z[label] - max);
        }

        if (!op.LogitGradient.IsEmpty)
        {
            float batchSize = op.Batch;
            Span<float> g = CpuDevice.Span(op.LogitGradient).Slice(n * classes, classes);
            for (int c = 0; c < classes; c++)
            {
                float p = DeterministicMath.Exp(z[c] - max) / sum;
                g[c] = (c == label ? p - 1f : p) / batchSize;
            }
        }
    }
}
