using System.Runtime.Intrinsics;
using CnnTrain.Devices.Cpu;
using CnnTrain.Numerics;
using CnnTrain.Ops;

namespace CnnTrain.Optimizers;

/// <summary>
/// SGD on all cores: one region over the ranges of every tensor (<see cref="UpdateRanges"/>), the batch gradient a block
/// of 64 parameters at a time (<see cref="GradientSum.Block"/>), 8 parameters per vector, the reference's order per lane.
/// </summary>
internal static unsafe class SgdSimd
{
    private const int Width = 8;

    public static void Run(CpuDevice cpu, in SgdUpdate op)
    {
        if (!StepGuard.Allows(op.Guard))
        {
            return;
        }

        float rate = CpuDevice.Span(op.LearningRate)[0];
        Sgd sgd = op.Settings;
        UpdateTensor[] tensors = op.Tensors;
        cpu.For(UpdateRanges.Count(tensors), range =>
        {
            (UpdateTensor t, int start, int end) = UpdateRanges.Of(tensors, range);
            UpdateRange(t, start, end, rate, sgd);
        });
    }

    private static void UpdateRange(in UpdateTensor t, int start, int end, float rate, Sgd sgd)
    {
        var mu = Vector256.Create(sgd.Momentum);
        var lambda = Vector256.Create(sgd.WeightDecay);
        var eta = Vector256.Create(-rate);
        int length = t.Values.Length;
        float* stack = stackalloc float[GradientSum.StackFloats];
        float* sums = stackalloc float[GradientSum.BlockWidth];
        fixed (float* values = CpuDevice.Span(t.Values), gradient = CpuDevice.Span(t.Gradient), velocity = CpuDevice.Span(t.State[0]))
        {
            int i = start;
            while (i + Width <= end)
            {
                int vectors = Math.Min(GradientSum.BlockWidth, end - i) / Width;
                GradientSum.Block(gradient, length, t.Partials, i, vectors, stack, sums);
                for (int v = 0; v < vectors; v++, i += Width)
                {
                    Vector256<float> g = Vector256.Load(sums + (v * Width));
                    Vector256<float> w = Vector256.Load(values + i);
                    if (sgd.WeightDecay != 0f)
                    {
                        g = Vector256.FusedMultiplyAdd(lambda, w, g);
                    }

                    Vector256<float> m = Vector256.FusedMultiplyAdd(mu, Vector256.Load(velocity + i), g);
                    Vector256.Store(m, velocity + i);
                    Vector256<float> step = sgd.Nesterov ? Vector256.FusedMultiplyAdd(mu, m, g) : m;
                    Vector256.Store(Vector256.FusedMultiplyAdd(eta, step, w), values + i);
                }
            }

            if (i < end)
            {
                int width = BatchTree.Width(t.Partials.Chunks);
                Span<float> tree = width <= GradientSum.StackFloats ? new Span<float>(stack, width) : new float[width];
                SgdReference.UpdateRange(
                    new Span<float>(values, length), new ReadOnlySpan<float>(gradient, t.Gradient.Length), t.Partials, new Span<float>(velocity, length),
                    i, end, rate, sgd, tree);
            }
        }
    }
}
