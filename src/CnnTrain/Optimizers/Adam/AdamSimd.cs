using System.Runtime.Intrinsics;
using CnnTrain.Devices.Cpu;
using CnnTrain.Ops;

namespace CnnTrain.Optimizers;

/// <summary>Adam and AdamW on all cores: chunks of each tensor over the threads, 8 parameters per vector, the reference's order per lane.</summary>
internal static unsafe class AdamSimd
{
    private const int Width = 8;
    private const int Chunk = 4096;

    public static void Run(CpuDevice cpu, in AdamUpdate op)
    {
        if (!StepGuard.Allows(op.Guard))
        {
            return;
        }

        float[] scalars = CpuDevice.Span(op.StepScalars).ToArray();
        AdamRule rule = op.Rule;
        foreach (UpdateTensor t in op.Tensors)
        {
            int length = t.Values.Length;
            BatchPartials partials = t.Partials;
            fixed (float* pw = CpuDevice.Span(t.Values), pg = CpuDevice.Span(t.Gradient), pm = CpuDevice.Span(t.State[0]), pv = CpuDevice.Span(t.State[1]))
            {
                nint w = (nint)pw, g = (nint)pg, m = (nint)pm, v = (nint)pv;
                cpu.ForRanges(length, Chunk, (start, end) => UpdateRange(
                    (float*)w, (float*)g, length, partials, (float*)m, (float*)v, start, end, scalars, rule));
            }
        }
    }

    private static void UpdateRange(
        float* values, float* gradient, int length, BatchPartials partials, float* firstMoment, float* secondMoment, int start, int end,
        float[] scalars, AdamRule rule)
    {
        var beta1 = Vector256.Create(rule.Beta1);
        var beta2 = Vector256.Create(rule.Beta2);
        var oneMinusBeta1 = Vector256.Create(rule.OneMinusBeta1);
        var oneMinusBeta2 = Vector256.Create(rule.OneMinusBeta2);
        var epsilon = Vector256.Create(rule.Epsilon);
        var l2 = Vector256.Create(rule.L2);
        var minusA = Vector256.Create(-scalars[0]);
        var s = Vector256.Create(scalars[1]);
        var k = Vector256.Create(rule.Decoupled ? scalars[2] : 1f);
        int i = start;
        for (; i + Width <= end; i += Width)
        {
            Vector256<float> g = GradientSum.At(gradient, length, partials, i);
            Vector256<float> w = Vector256.Load(values + i);
            if (rule.L2 != 0f)
            {
                g = Vector256.FusedMultiplyAdd(l2, w, g);
            }

            if (rule.Decoupled)
            {
                w *= k;
            }

            Vector256<float> m = Vector256.FusedMultiplyAdd(beta1, Vector256.Load(firstMoment + i), oneMinusBeta1 * g);
            Vector256<float> v = Vector256.FusedMultiplyAdd(beta2, Vector256.Load(secondMoment + i), oneMinusBeta2 * (g * g));
            Vector256.Store(m, firstMoment + i);
            Vector256.Store(v, secondMoment + i);
            Vector256<float> d = Vector256.FusedMultiplyAdd(Vector256.Sqrt(v), s, epsilon);
            Vector256.Store(Vector256.FusedMultiplyAdd(minusA, m / d, w), values + i);
        }

        AdamReference.UpdateRange(
            new Span<float>(values, length), new ReadOnlySpan<float>(gradient, length * partials.Count), partials,
            new Span<float>(firstMoment, length), new Span<float>(secondMoment, length), i, end, scalars, rule);
    }
}
