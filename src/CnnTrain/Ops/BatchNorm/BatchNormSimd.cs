using System.Runtime.Intrinsics;
using CnnTrain.Devices.Cpu;

namespace CnnTrain.Ops;

/// <summary>
/// Batch normalisation on all cores: the per-channel reductions spread over the threads a channel each (each in the
/// reference's order), the elementwise passes a sample each, eight lanes per vector — over positions, or over
/// channels when a channel has one position (BatchNorm1D) — with the reference's operations per lane.
/// </summary>
internal static unsafe class BatchNormSimd
{
    private const int Width = 8;

    public static void TrainingForward(CpuDevice cpu, in BatchNormTrainingForward op)
    {
        BatchNormDescriptor d = op.Descriptor;
        int batch = op.Batch;
        fixed (float* px = CpuDevice.Span(op.Input), ps = CpuDevice.Span(op.Sums), pst = CpuDevice.Span(op.Statistics))
        {
            var x = new RawSpan<float>(px, op.Input.Length);
            var sums = new RawSpan<float>(ps, op.Sums.Length);
            var statistics = new RawSpan<float>(pst, op.Statistics.Length);
            cpu.For(d.Channels, c => BatchNormReference.ChannelStatistics(d, batch, x.Span, sums.Span, statistics.Span, c));
            Normalize(cpu, d, batch, px, CpuDevice.Span(op.Gamma), CpuDevice.Span(op.Beta), pst, pst + d.Channels, CpuDevice.Span(op.Output));
        }
    }

    public static void InferenceForward(CpuDevice cpu, in BatchNormInferenceForward op)
    {
        BatchNormDescriptor d = op.Descriptor;
        var inv = new float[d.Channels];
        BatchNormReference.InverseRoots(d, CpuDevice.Span(op.RunningVariance), inv);
        fixed (float* px = CpuDevice.Span(op.Input), pm = CpuDevice.Span(op.RunningMean), pi = inv)
        {
            Normalize(cpu, d, op.Batch, px, CpuDevice.Span(op.Gamma), CpuDevice.Span(op.Beta), pm, pi, CpuDevice.Span(op.Output));
        }
    }

    public static void Backward(CpuDevice cpu, in BatchNormBackward op)
    {
        BatchNormDescriptor d = op.Descriptor;
        int batch = op.Batch;
        fixed (float* px = CpuDevice.Span(op.Input), pdy = CpuDevice.Span(op.OutputGradient), pst = CpuDevice.Span(op.Statistics))
        fixed (float* pg = CpuDevice.Span(op.GammaPartials), pb = CpuDevice.Span(op.BetaPartials), pm = CpuDevice.Span(op.Means))
        fixed (float* pgamma = CpuDevice.Span(op.Gamma), pdx = CpuDevice.Span(op.InputGradient))
        {
            var x = new RawSpan<float>(px, op.Input.Length);
            var dy = new RawSpan<float>(pdy, op.OutputGradient.Length);
            var statistics = new RawSpan<float>(pst, op.Statistics.Length);
            var gammaPartials = new RawSpan<float>(pg, op.GammaPartials.Length);
            var betaPartials = new RawSpan<float>(pb, op.BetaPartials.Length);
            var means = new RawSpan<float>(pm, op.Means.Length);
            cpu.For(d.Channels, c => BatchNormReference.ChannelGradients(
                d, batch, x.Span, dy.Span, statistics.Span, gammaPartials.Span, betaPartials.Span, means.Span, c));
            if (op.InputGradient.IsEmpty)
            {
                return;
            }

            InputGradient(cpu, d, batch, px, pdy, pgamma, pst, pst + d.Channels, pm, pm + d.Channels, pdx);
        }
    }

    private static void InputGradient(
        CpuDevice cpu, BatchNormDescriptor d, int batch, float* x, float* dy, float* gamma, float* mean, float* inv, float* a, float* b, float* dx)
    {
        int channels = d.Channels, positions = d.Positions;
        bool perChannel = positions == 1;
        cpu.For(batch, n =>
        {
            for (int c = 0; c < channels; c += perChannel ? Width : 1)
            {
                int at = ((n * channels) + c) * positions;
                int end = at + (perChannel ? Math.Min(Width, channels - c) : positions);
                for (; end - at >= Width; at += Width)
                {
                    Vector256<float> s = Load(inv, c, perChannel);
                    Vector256<float> xhat = (Vector256.Load(x + at) - Load(mean, c, perChannel)) * s;
                    Vector256<float> t = Vector256.FusedMultiplyAdd(-xhat, Load(b, c, perChannel), Vector256.Load(dy + at) - Load(a, c, perChannel));
                    Vector256.Store((Load(gamma, c, perChannel) * s) * t, dx + at);
                }

                for (int k = c; at < end; at++, k += perChannel ? 1 : 0)
                {
                    float xhat = (x[at] - mean[k]) * inv[k];
                    dx[at] = (gamma[k] * inv[k]) * MathF.FusedMultiplyAdd(-xhat, b[k], dy[at] - a[k]);
                }
            }
        });
    }

    private static void Normalize(
        CpuDevice cpu, BatchNormDescriptor d, int batch, float* x, Span<float> gammaSpan, Span<float> betaSpan, float* mean, float* inv, Span<float> output)
    {
        fixed (float* pgamma = gammaSpan, pbeta = betaSpan, py = output)
        {
            float* gamma = pgamma, beta = pbeta, y = py;
            int channels = d.Channels, positions = d.Positions;
            bool perChannel = positions == 1;
            cpu.For(batch, n =>
            {
                for (int c = 0; c < channels; c += perChannel ? Width : 1)
                {
                    int at = ((n * channels) + c) * positions;
                    int end = at + (perChannel ? Math.Min(Width, channels - c) : positions);
                    for (; end - at >= Width; at += Width)
                    {
                        Vector256<float> t = (Vector256.Load(x + at) - Load(mean, c, perChannel)) * Load(inv, c, perChannel);
                        Vector256.Store(Vector256.FusedMultiplyAdd(Load(gamma, c, perChannel), t, Load(beta, c, perChannel)), y + at);
                    }

                    for (int k = c; at < end; at++, k += perChannel ? 1 : 0)
                    {
                        y[at] = MathF.FusedMultiplyAdd(gamma[k], (x[at] - mean[k]) * inv[k], beta[k]);
                    }
                }
            });
        }
    }

    // A channel constant: eight channels from c (one position per channel), or channel c's value in every lane.
    private static Vector256<float> Load(float* values, int c, bool perChannel) => perChannel ? Vector256.Load(values + c) : Vector256.Create(values[c]);
}
