using System.Runtime.Intrinsics;
using CnnTrain.Devices.Cpu;

namespace CnnTrain.Ops;

/// <summary>ReLU on all cores: chunks over the threads, eight elements per vector, the same select as the reference.</summary>
internal static unsafe class ReluSimd
{
    private const int Width = 8;
    private const int Chunk = 16384;

    public static void Forward(CpuDevice cpu, in ReluForward op)
    {
        int length = op.Input.Length;
        fixed (float* px = CpuDevice.Span(op.Input), py = CpuDevice.Span(op.Output))
        {
            var x = new RawSpan<float>(px, length);
            var y = new RawSpan<float>(py, length);
            cpu.ForRanges(length, Chunk, (start, end) =>
            {
                int i = start;
                for (; i + Width <= end; i += Width)
                {
                    Vector256<float> v = Vector256.Load(x.Pointer + i);
                    Vector256.Store(Vector256.ConditionalSelect(Vector256.GreaterThan(v, Vector256<float>.Zero), v, Vector256<float>.Zero), y.Pointer + i);
                }

                ReluReference.Forward(x.Slice(i, end - i), y.Slice(i, end - i));
            });
        }
    }

    public static void Backward(CpuDevice cpu, in ReluBackward op)
    {
        int length = op.Output.Length;
        fixed (float* py = CpuDevice.Span(op.Output), pdy = CpuDevice.Span(op.OutputGradient), pdx = CpuDevice.Span(op.InputGradient))
        {
            var y = new RawSpan<float>(py, length);
            var dy = new RawSpan<float>(pdy, length);
            var dx = new RawSpan<float>(pdx, length);
            cpu.ForRanges(length, Chunk, (start, end) =>
            {
                int i = start;
                for (; i + Width <= end; i += Width)
                {
                    Vector256<float> positive = Vector256.GreaterThan(Vector256.Load(y.Pointer + i), Vector256<float>.Zero);
                    Vector256.Store(Vector256.ConditionalSelect(positive, Vector256.Load(dy.Pointer + i), Vector256<float>.Zero), dx.Pointer + i);
                }

                ReluReference.Backward(y.Slice(i, end - i), dy.Slice(i, end - i), dx.Slice(i, end - i));
            });
        }
    }
}
