using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using CnnTrain.Devices.Cpu;

namespace CnnTrain.Ops;

/// <summary>
/// Dropout on all cores, one parallel region per operation: samples spread over the threads; within a sample, eight
/// elements per vector, whose eight mask bits become lanes by a compare against each lane's bit.
/// </summary>
internal static unsafe class DropoutSimd
{
    private const int Width = 8;

    public static void Forward(CpuDevice cpu, in DropoutForward op) =>
        Apply(cpu, op.Batch, op.Size, op.Scale, CpuDevice.Span(op.Masks), CpuDevice.Span(op.Input), CpuDevice.Span(op.Output));

    public static void Backward(CpuDevice cpu, in DropoutBackward op) =>
        Apply(cpu, op.Batch, op.Size, op.Scale, CpuDevice.Span(op.Masks), CpuDevice.Span(op.OutputGradient), CpuDevice.Span(op.InputGradient));

    private static void Apply(CpuDevice cpu, int batch, int size, float scale, Span<int> masks, Span<float> input, Span<float> output)
    {
        fixed (int* pm = masks)
        fixed (float* px = input, py = output)
        {
            int* m = pm;
            float* x = px, y = py;
            cpu.For(batch, n => ApplySample(size, scale, m, x, y, n));
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ApplySample(int size, float scale, int* masks, float* x, float* y, int n)
    {
        int words = DropoutMask.WordsPerSample(size);
        float* xs = x + ((long)n * size), ys = y + ((long)n * size);
        int* sample = masks + ((long)n * words);
        Vector256<int> lanes = Vector256.Create(1, 2, 4, 8, 16, 32, 64, 128);
        Vector256<float> factor = Vector256.Create(scale);
        int i = 0;
        for (; i + Width <= size; i += Width)
        {
            // Eight consecutive bits starting at i; i is a multiple of 8, so they sit in one word.
            Vector256<int> bits = Vector256.Create((sample[i >> 5] >> (i & 31)) & 0xFF);
            Vector256<float> kept = Vector256.Equals(bits & lanes, lanes).AsSingle();
            Vector256<float> scaled = Vector256.Load(xs + i) * factor;
            Vector256.Store(Vector256.ConditionalSelect(kept, scaled, Vector256<float>.Zero), ys + i);
        }

        for (; i < size; i++)
        {
            ys[i] = ((sample[i >> 5] >> (i & 31)) & 1) != 0 ? xs[i] * scale : 0f;
        }
    }
}
