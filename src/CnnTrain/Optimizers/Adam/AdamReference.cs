using CnnTrain.Devices.Cpu;
using CnnTrain.Ops;

namespace CnnTrain.Optimizers;

/// <summary>Adam and AdamW in plain loops: the canonical order of docs/numerics.md, "Adam and AdamW".</summary>
internal static class AdamReference
{
    public static void Run(CpuDevice cpu, in AdamUpdate op)
    {
        if (!StepGuard.Allows(op.Guard))
        {
            return;
        }

        ReadOnlySpan<float> scalars = CpuDevice.Span(op.StepScalars);
        foreach (UpdateTensor t in op.Tensors)
        {
            UpdateRange(
                CpuDevice.Span(t.Values), CpuDevice.Span(t.Gradient), t.Partials, CpuDevice.Span(t.State[0]), CpuDevice.Span(t.State[1]),
                0, t.Values.Length, scalars, op.Rule, GradientSum.Tree(t.Partials));
        }
    }

    /// <summary>Elements [<paramref name="start"/>, <paramref name="end"/>) of one tensor; <paramref name="tree"/> is scratch of <see cref="GradientSum.Tree"/>'s width.</summary>
    public static void UpdateRange(
        Span<float> values, ReadOnlySpan<float> gradient, BatchPartials partials, Span<float> firstMoment, Span<float> secondMoment,
        int start, int end, ReadOnlySpan<float> scalars, AdamRule rule, Span<float> tree)
    {
        float a = scalars[0], s = scalars[1];
        if (start >= end)
        {
            return;
        }

        int length = values.Length;
        for (int i = start; i < end; i++)
        {
            float g = GradientSum.Reference(gradient, length, partials, i, tree);
            float w = values[i];
            if (rule.L2 != 0f)
            {
                g = MathF.FusedMultiplyAdd(rule.L2, w, g);
            }

            if (rule.Decoupled)
            {
                w *= scalars[2];
            }

            float m = MathF.FusedMultiplyAdd(rule.Beta1, firstMoment[i], rule.OneMinusBeta1 * g);
            float v = MathF.FusedMultiplyAdd(rule.Beta2, secondMoment[i], rule.OneMinusBeta2 * (g * g));
            firstMoment[i] = m;
            secondMoment[i] = v;
            float d = MathF.FusedMultiplyAdd(MathF.Sqrt(v), s, rule.Epsilon);
            values[i] = MathF.FusedMultiplyAdd(-a, m / d, w);
        }
    }
}
