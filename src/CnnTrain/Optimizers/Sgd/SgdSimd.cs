using System.Runtime.Intrinsics;
using CnnTrain.Devices.Cpu;
using CnnTrain.Ops;

namespace CnnTrain.Optimizers;

/// <summary>SGD on all cores: chunks of each tensor over the threads, 8 parameters per vector, the reference's order per lane.</summary>
internal static unsafe class SgdSimd
{
    private const int Width = 8;
    private const int Chunk = 4096;

    public static void Run(CpuDevice cpu, in SgdUpdate op)
    {
        if (!StepGuard.Allows(op.Guard))
        {
            return;
        }

        float rate = CpuDevice.Span(op.LearningRate)[0];
        Sgd sgd = op.Settings;
        foreach (UpdateTensor t in op.Tensors)
        {
            int length = t.Values.Length;
            BatchPartials partials = t.Partials;
            fixed (float* pv = CpuDevice.Span(t.Values), pg = CpuDevice.Span(t.Gradient), pvel = CpuDevice.Span(t.State[0]))
            {
                nint v = (nint)pv, g = (nint)pg, vel = (nint)pvel;
                cpu.ForRanges(length, Chunk, (start, end) => UpdateRange((float*)v, (float*)g, length, partials, (float*)vel, start, end, rate, sgd));
            }
        }
    }

    private static void UpdateRange(float* values, float* gradient, int length, BatchPartials partials, float* velocity, int start, int end, float rate, Sgd sgd)
    {
        var mu = Vector256.Create(sgd.Momentum);
        var lambda = Vector256.Create(sgd.WeightDecay);
        var eta = Vector256.Create(-rate);
        int i = start;
        for (; i + Width <= end; i += Width)
        {
            Vector256<float> g = GradientSum.At(gradient, length, partials, i);
            Vector256<float> w = Vector256.Load(values + i);
            if (sgd.WeightDecay != 0f)
            {
                g = Vector256.FusedMultiplyAdd(lambda, w, g);
            }

            Vector256<float> v = Vector256.FusedMultiplyAdd(mu, Vector256.Load(velocity + i), g);
            Vector256.Store(v, velocity + i);
            Vector256<float> step = sgd.Nesterov ? Vector256.FusedMultiplyAdd(mu, v, g) : v;
            Vector256.Store(Vector256.FusedMultiplyAdd(eta, step, w), values + i);
        }

        SgdReference.UpdateRange(
            new Span<float>(values, length), new ReadOnlySpan<float>(gradient, length * partials.Count), partials, new Span<float>(velocity, length), i, end, rate, sgd);
    }
}
