using CnnTrain.Devices.Cpu;

namespace CnnTrain.Ops;

/// <summary>The row gather in a plain loop.</summary>
internal static class GatherReference
{
    public static void Run<T>(CpuDevice cpu, in Gather<T> op)
        where T : unmanaged => Rows(CpuDevice.Span(op.Source), op.RowLength, CpuDevice.Span(op.Rows), CpuDevice.Span(op.Destination));

    public static void Rows<T>(ReadOnlySpan<T> source, int rowLength, ReadOnlySpan<int> rows, Span<T> destination)
        where T : unmanaged
    {
        for (int i = 0; i < rows.Length; i++)
        {
            source.Slice(rows[i] * rowLength, rowLength).CopyTo(destination.Slice(i * rowLength, rowLength));
        }
    }
}
