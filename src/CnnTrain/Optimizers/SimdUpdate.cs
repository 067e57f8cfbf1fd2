using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using CnnTrain.Devices.Cpu;
using CnnTrain.Numerics;

namespace CnnTrain.Optimizers;

/// <summary>An optimizer's arithmetic for <see cref="SimdUpdate"/>: eight parameters from their batch gradient, and the scalar rest.</summary>
internal unsafe interface ISimdRule
{
    /// <summary>Parameters [i, i + 8) from their batch gradient <paramref name="g"/>; <paramref name="state1"/> is null for one state tensor.</summary>
    void Apply(Vector256<float> g, float* values, float* state0, float* state1, int i);

    /// <summary>The parameters [start, end) past the last whole vector, by the reference; <paramref name="tree"/> is its scratch.</summary>
    void Tail(in UpdateTensor t, int start, int end, Span<float> tree);
}

/// <summary>
/// The Multicore update of every optimizer: one parallel region over the ranges of all tensors (<see cref="UpdateRanges"/>),
/// the batch gradient 64 parameters at a time (<see cref="GradientSum.Block"/>), then the rule's arithmetic, 8 per vector.
/// </summary>
internal static unsafe class SimdUpdate
{
    private const int Width = 8;

    public static void Run<TRule>(CpuDevice cpu, UpdateTensor[] tensors, TRule rule)
        where TRule : struct, ISimdRule =>
        cpu.For(UpdateRanges.Count(tensors), range =>
        {
            (UpdateTensor t, int start, int end) = UpdateRanges.Of(tensors, range);
            UpdateRange(t, start, end, rule);
        });

    // The stack's levels are written before they are read, so its 8 KB need no zeroing per range.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    [SkipLocalsInit]
    private static void UpdateRange<TRule>(in UpdateTensor t, int start, int end, TRule rule)
        where TRule : struct, ISimdRule
    {
        float* stack = stackalloc float[GradientSum.StackFloats];
        float* sums = stackalloc float[GradientSum.BlockWidth];
        fixed (float* values = CpuDevice.Span(t.Values), gradient = CpuDevice.Span(t.Gradient))
        fixed (float* state0 = CpuDevice.Span(t.State[0]), state1 = t.State.Length > 1 ? CpuDevice.Span(t.State[1]) : default)
        {
            int i = start;
            while (i + Width <= end)
            {
                int vectors = Math.Min(GradientSum.BlockWidth, end - i) / Width;
                GradientSum.Block(gradient, t.Values.Length, t.Partials, i, vectors, stack, sums);
                for (int v = 0; v < vectors; v++, i += Width)
                {
                    rule.Apply(Vector256.Load(sums + (v * Width)), values, state0, state1, i);
                }
            }

            if (i < end)
            {
                int width = BatchTree.Width(t.Partials.Chunks);
                rule.Tail(t, i, end, width <= GradientSum.StackFloats ? new Span<float>(stack, width) : new float[width]);
            }
        }
    }
}
