using CnnTrain.Devices.Cpu;
using CnnTrain.Ops;

namespace CnnTrain.Optimizers;

/// <summary>SGD in plain loops: the canonical order of docs/numerics.md, "SGD".</summary>
internal static class SgdReference
{
    public static void Run(CpuDevice cpu, in SgdUpdate op)
    {
        if (!StepGuard.Allows(op.Guard))
        {
            return;
        }

        float rate = CpuDevice.Span(op.LearningRate)[0];
        foreach (UpdateTensor t in op.Tensors)
        {
            UpdateRange(CpuDevice.Span(t.Values), CpuDevice.Span(t.Gradient), t.Partials, CpuDevice.Span(t.State[0]), 0, t.Values.Length, rate, op.Settings,
                GradientSum.Tree(t.Partials));
        }
    }

    /// <summary>Elements [<paramref name="start"/>, <paramref name="end"/>) of one tensor; <paramref name="tree"/> is scratch of <see cref="GradientSum.Tree"/>'s width.</summary>
    public static void UpdateRange(
        Span<float> values, ReadOnlySpan<float> gradient, BatchPartials partials, Span<float> velocity, int start, int end, float learningRate, Sgd sgd,
        Span<float> tree)
    {
        if (start >= end)
        {
            return;
        }

        int length = values.Length;
        for (int i = start; i < end; i++)
        {
            float g = GradientSum.Reference(gradient, length, partials, i, tree);
            if (sgd.WeightDecay != 0f)
            {
                g = MathF.FusedMultiplyAdd(sgd.WeightDecay, values[i], g);
            }

            float v = MathF.FusedMultiplyAdd(sgd.Momentum, velocity[i], g);
            velocity[i] = v;
            float step = sgd.Nesterov ? MathF.FusedMultiplyAdd(sgd.Momentum, v, g) : v;
            values[i] = MathF.FusedMultiplyAdd(-learningRate, step, values[i]);
        }
    }
}
