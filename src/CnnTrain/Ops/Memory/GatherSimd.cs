using CnnTrain.Devices.Cpu;

namespace CnnTrain.Ops;

/// <summary>The row gather on all cores: runs of rows spread over the threads, each a plain copy.</summary>
internal static unsafe class GatherSimd
{
    private const int ElementsPerTask = 65536;

    public static void Run<T>(CpuDevice cpu, in Gather<T> op)
        where T : unmanaged
    {
        int rowLength = op.RowLength;
        fixed (T* ps = CpuDevice.Span(op.Source), pd = CpuDevice.Span(op.Destination))
        fixed (int* pr = CpuDevice.Span(op.Rows))
        {
            var s = new RawSpan<T>(ps, op.Source.Length);
            var d = new RawSpan<T>(pd, op.Destination.Length);
            var r = new RawSpan<int>(pr, op.Rows.Length);
            int chunk = Math.Max(1, ElementsPerTask / rowLength);
            cpu.ForRanges(r.Length, chunk, (first, end) =>
                GatherReference.Rows<T>(s.Span, rowLength, r.Slice(first, end - first), d.Slice(first * rowLength, (end - first) * rowLength)));
        }
    }
}
