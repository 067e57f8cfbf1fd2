using System.Runtime.Intrinsics;
using CnnTrain.Devices.Cpu;
using CnnTrain.Numerics;
using CnnTrain.Ops;

namespace CnnTrain.Optimizers;

/// <summary>
/// Adam and AdamW on all cores: one region over the ranges of every tensor (<see cref="UpdateRanges"/>), the batch
/// gradient a block of 64 parameters at a time (<see cref="GradientSum.Block"/>), 8 parameters per vector, the
/// reference's order per lane.
/// </summary>
internal static unsafe class AdamSimd
{
    private const int Width = 8;

    public static void Run(CpuDevice cpu, in AdamUpdate op)
    {
        if (!StepGuard.Allows(op.Guard))
        {
            return;
        }

        ReadOnlySpan<float> scalars = CpuDevice.Span(op.StepScalars);
        var step = new StepScalars(scalars[0], scalars[1], op.Rule.Decoupled ? scalars[2] : 1f);
        AdamRule rule = op.Rule;
        UpdateTensor[] tensors = op.Tensors;
        cpu.For(UpdateRanges.Count(tensors), range =>
        {
            (UpdateTensor t, int start, int end) = UpdateRanges.Of(tensors, range);
            UpdateRange(t, start, end, step, rule);
        });
    }

    private static void UpdateRange(in UpdateTensor t, int start, int end, StepScalars step, AdamRule rule)
    {
        var beta1 = Vector256.Create(rule.Beta1);
        var beta2 = Vector256.Create(rule.Beta2);
        var oneMinusBeta1 = Vector256.Create(rule.OneMinusBeta1);
        var oneMinusBeta2 = Vector256.Create(rule.OneMinusBeta2);
        var epsilon = Vector256.Create(rule.Epsilon);
        var l2 = Vector256.Create(rule.L2);
        var minusA = Vector256.Create(-step.A);
        var s = Vector256.Create(step.S);
        var k = Vector256.Create(step.K);
        int length = t.Values.Length;
        float* stack = stackalloc float[GradientSum.StackFloats];
        float* sums = stackalloc float[GradientSum.BlockWidth];
        fixed (float* values = CpuDevice.Span(t.Values), gradient = CpuDevice.Span(t.Gradient))
        fixed (float* firstMoment = CpuDevice.Span(t.State[0]), secondMoment = CpuDevice.Span(t.State[1]))
        {
            int i = start;
            while (i + Width <= end)
            {
                int vectors = Math.Min(GradientSum.BlockWidth, end - i) / Width;
                GradientSum.Block(gradient, length, t.Partials, i, vectors, stack, sums);
                for (int b = 0; b < vectors; b++, i += Width)
                {
                    Vector256<float> g = Vector256.Load(sums + (b * Width));
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
            }

            if (i < end)
            {
                int width = BatchTree.Width(t.Partials.Chunks);
                Span<float> tree = width <= GradientSum.StackFloats ? new Span<float>(stack, width) : new float[width];
                ReadOnlySpan<float> scalars = [step.A, step.S, step.K];
                AdamReference.UpdateRange(
                    new Span<float>(values, length), new ReadOnlySpan<float>(gradient, t.Gradient.Length), t.Partials,
                    new Span<float>(firstMoment, length), new Span<float>(secondMoment, length), i, end, scalars, rule, tree);
            }
        }
    }

    /// <summary>This step's a, s and k (1 for Adam), read once when the update runs.</summary>
    private readonly record struct StepScalars(float A, float S, float K);
}
