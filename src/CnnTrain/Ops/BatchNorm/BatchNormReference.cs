using CnnTrain.Devices.Cpu;
using CnnTrain.Numerics;

namespace CnnTrain.Ops;

/// <summary>
/// Batch normalisation in plain loops: the canonical order of docs/numerics.md, "Batch normalisation". Layout NCP:
/// element (n, c, p) at (n × C + c) × P + p; per-sample values (n, c) at n × C + c.
/// </summary>
internal static class BatchNormReference
{
    public static void TrainingForward(CpuDevice cpu, in BatchNormTrainingForward op)
    {
        BatchNormDescriptor d = op.Descriptor;
        ReadOnlySpan<float> x = CpuDevice.Span(op.Input);
        Span<float> sums = CpuDevice.Span(op.Sums), statistics = CpuDevice.Span(op.Statistics);
        for (int c = 0; c < d.Channels; c++)
        {
            ChannelStatistics(d, op.Batch, x, sums, statistics, c);
        }

        Normalize(d, x, CpuDevice.Span(op.Gamma), CpuDevice.Span(op.Beta), statistics[..d.Channels], statistics.Slice(d.Channels, d.Channels), CpuDevice.Span(op.Output), 0, op.Batch);
    }

    public static void InferenceForward(CpuDevice cpu, in BatchNormInferenceForward op)
    {
        BatchNormDescriptor d = op.Descriptor;
        Span<float> inv = new float[d.Channels];
        InverseRoots(d, CpuDevice.Span(op.RunningVariance), inv);
        Normalize(d, CpuDevice.Span(op.Input), CpuDevice.Span(op.Gamma), CpuDevice.Span(op.Beta), CpuDevice.Span(op.RunningMean), inv, CpuDevice.Span(op.Output), 0, op.Batch);
    }

    public static void UpdateStatistics(CpuDevice cpu, in BatchNormStatisticsUpdate op)
    {
        if (!StepGuard.Allows(op.Guard))
        {
            return;
        }

        BatchNormDescriptor d = op.Descriptor;
        ReadOnlySpan<float> statistics = CpuDevice.Span(op.Statistics);
        Span<float> mean = CpuDevice.Span(op.RunningMean), variance = CpuDevice.Span(op.RunningVariance);
        for (int c = 0; c < d.Channels; c++)
        {
            mean[c] = MathF.FusedMultiplyAdd(d.Keep, mean[c], d.Momentum * statistics[c]);
            variance[c] = MathF.FusedMultiplyAdd(d.Keep, variance[c], d.Momentum * statistics[(2 * d.Channels) + c]);
        }
    }

    public static void Backward(CpuDevice cpu, in BatchNormBackward op)
    {
        BatchNormDescriptor d = op.Descriptor;
        ReadOnlySpan<float> x = CpuDevice.Span(op.Input), dy = CpuDevice.Span(op.OutputGradient), statistics = CpuDevice.Span(op.Statistics);
        Span<float> gammaPartials = CpuDevice.Span(op.GammaPartials), betaPartials = CpuDevice.Span(op.BetaPartials), means = CpuDevice.Span(op.Means);
        for (int c = 0; c < d.Channels; c++)
        {
            ChannelGradients(d, op.Batch, x, dy, statistics, gammaPartials, betaPartials, means, c);
        }

        if (!op.InputGradient.IsEmpty)
        {
            InputGradient(d, x, dy, CpuDevice.Span(op.Gamma), statistics, means, CpuDevice.Span(op.InputGradient), 0, op.Batch);
        }
    }

    /// <summary>
    /// Channel <paramref name="c"/>'s batch statistics: S[n] = Σ x over positions, mean = tree(S) / M;
    /// D[n] = fma chain of (x - mean)², V = tree(D); inv = 1 / sqrt(V / M + ε); unbiased = V / (M - 1).
    /// </summary>
    public static void ChannelStatistics(in BatchNormDescriptor d, int batch, ReadOnlySpan<float> x, Span<float> sums, Span<float> statistics, int c)
    {
        int p = d.Positions, channels = d.Channels;
        for (int n = 0; n < batch; n++)
        {
            ReadOnlySpan<float> plane = x.Slice(((n * channels) + c) * p, p);
            float sum = 0f;
            for (int i = 0; i < p; i++)
            {
                sum += plane[i];
            }

            sums[(n * channels) + c] = sum;
        }

        float mean = BatchTreeSum.Sum(sums, c, channels, batch) / d.Count(batch);
        for (int n = 0; n < batch; n++)
        {
            ReadOnlySpan<float> plane = x.Slice(((n * channels) + c) * p, p);
            float squares = 0f;
            for (int i = 0; i < p; i++)
            {
                float deviation = plane[i] - mean;
                squares = MathF.FusedMultiplyAdd(deviation, deviation, squares);
            }

            sums[(n * channels) + c] = squares;
        }

        float total = BatchTreeSum.Sum(sums, c, channels, batch);
        statistics[c] = mean;
        statistics[channels + c] = 1f / MathF.Sqrt((total / d.Count(batch)) + d.Epsilon);
        statistics[(2 * channels) + c] = total / d.CountLessOne(batch);
    }

    /// <summary>inv[c] = 1 / sqrt(variance[c] + ε).</summary>
    public static void InverseRoots(in BatchNormDescriptor d, ReadOnlySpan<float> variance, Span<float> inv)
    {
        for (int c = 0; c < d.Channels; c++)
        {
            inv[c] = 1f / MathF.Sqrt(variance[c] + d.Epsilon);
        }
    }

    /// <summary>y = fma(gamma[c], (x - mean[c]) * inv[c], beta[c]) for samples [<paramref name="first"/>, <paramref name="end"/>).</summary>
    public static void Normalize(
        in BatchNormDescriptor d, ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, ReadOnlySpan<float> mean,
        ReadOnlySpan<float> inv, Span<float> y, int first, int end)
    {
        for (int n = first; n < end; n++)
        {
            for (int c = 0; c < d.Channels; c++)
            {
                int at = ((n * d.Channels) + c) * d.Positions;
                for (int i = at; i < at + d.Positions; i++)
                {
                    y[i] = MathF.FusedMultiplyAdd(gamma[c], (x[i] - mean[c]) * inv[c], beta[c]);
                }
            }
        }
    }

    /// <summary>
    /// Channel <paramref name="c"/>'s gradient partials, with x̂ = (x - mean) * inv: Pb[n] = Σ dy over positions,
    /// Pg[n] = fma chain of dy · x̂; then the means a = tree(Pb) / M and b = tree(Pg) / M.
    /// </summary>
    public static void ChannelGradients(
        in BatchNormDescriptor d, int batch, ReadOnlySpan<float> x, ReadOnlySpan<float> dy, ReadOnlySpan<float> statistics,
        Span<float> gammaPartials, Span<float> betaPartials, Span<float> means, int c)
    {
        int p = d.Positions, channels = d.Channels;
        float mean = statistics[c], inv = statistics[channels + c];
        for (int n = 0; n < batch; n++)
        {
            int at = ((n * channels) + c) * p;
            float pb = 0f, pg = 0f;
            for (int i = at; i < at + p; i++)
            {
                pb += dy[i];
                pg = MathF.FusedMultiplyAdd(dy[i], (x[i] - mean) * inv, pg);
            }

            betaPartials[(n * channels) + c] = pb;
            gammaPartials[(n * channels) + c] = pg;
        }

        means[c] = BatchTreeSum.Sum(betaPartials, c, channels, batch) / d.Count(batch);
        means[channels + c] = BatchTreeSum.Sum(gammaPartials, c, channels, batch) / d.Count(batch);
    }

    /// <summary>dx = (gamma[c] * inv[c]) * fma(-x̂, b[c], dy - a[c]) for samples [<paramref name="first"/>, <paramref name="end"/>).</summary>
    public static void InputGradient(
        in BatchNormDescriptor d, ReadOnlySpan<float> x, ReadOnlySpan<float> dy, ReadOnlySpan<float> gamma, ReadOnlySpan<float> statistics,
        ReadOnlySpan<float> means, Span<float> dx, int first, int end)
    {
        int channels = d.Channels;
        for (int n = first; n < end; n++)
        {
            for (int c = 0; c < channels; c++)
            {
                float mean = statistics[c], inv = statistics[channels + c], a = means[c], b = means[channels + c];
                float scale = gamma[c] * inv;
                int at = ((n * channels) + c) * d.Positions;
                for (int i = at; i < at + d.Positions; i++)
                {
                    float xhat = (x[i] - mean) * inv;
                    dx[i] = scale * MathF.FusedMultiplyAdd(-xhat, b, dy[i] - a);
                }
            }
        }
    }
}
