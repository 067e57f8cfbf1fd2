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
            UpdateRange(CpuDevice.Span(t.Values), CpuDevice.Span(t.Gradient), t.PartialCount, CpuDevice.Span(t.State[0]), 0, t.Values.Length, rate, op.Settings);
        }
    }

    /// <summary>Elements [<paramref name="start"/>, <paramref name="end"/>) of one tensor.</summary>
    public static void UpdateRange(
        Span<float> values, ReadOnlySpan<float> gradient, int partialCount, Span<float> velocity, int start, int end, float learningRate, Sgd sgd)
    {
        int length = values.Length;
        for (int i = start; i < end; i++)
        {
            float g = GradientSum.At(gradient, length, partialCount, i);
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
