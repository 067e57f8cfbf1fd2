namespace CnnTrain.Devices.Cpu.Ops;

/// <summary>Row gather for the CPU devices; rows are checked because host code chooses them.</summary>
internal static class Gather
{
    public static void Rows<T>(ReadOnlySpan<T> source, int rowLength, int sourceRows, ReadOnlySpan<int> rows, Span<T> destination)
        where T : unmanaged
    {
        for (int i = 0; i < rows.Length; i++)
        {
            int row = rows[i];
            if ((uint)row >= (uint)sourceRows)
            {
                throw new ArgumentOutOfRangeException(nameof(rows), row, $"Row index {i} is {row}, outside [0, {sourceRows}).");
            }

            source.Slice(row * rowLength, rowLength).CopyTo(destination.Slice(i * rowLength, rowLength));
        }
    }
}
