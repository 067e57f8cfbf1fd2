using System.Runtime.CompilerServices;
using CnnTrain.Devices;

namespace CnnTrain.Ops;

/// <summary>Copies rows: <c>destination[i] = source[rows[i]]</c>, each row <see cref="RowLength"/> elements (the epoch's shuffle).</summary>
internal readonly record struct Gather<T>(DeviceSlice<T> Source, int RowLength, DeviceSlice<int> Rows, DeviceSlice<T> Destination)
    where T : unmanaged
{
    /// <summary>The number of rows in the source.</summary>
    public int SourceRows => Source.Length / RowLength;

    /// <summary>Checks the arguments (every row index in range), then queues the operation on <paramref name="device"/>.</summary>
    public void Run(IComputeDevice device)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(RowLength, 1);
        SliceChecks.Owned(device, Source, nameof(Source));
        SliceChecks.Owned(device, Rows, nameof(Rows));
        if (Source.Length % RowLength != 0)
        {
            throw new ArgumentException($"Source has {Source.Length} elements, not a whole number of rows of {RowLength}.", nameof(Source));
        }

        if (Unsafe.SizeOf<T>() != sizeof(int))
        {
            throw new NotSupportedException($"Gather moves 4-byte elements; {typeof(T).Name} has {Unsafe.SizeOf<T>()}.");
        }

        SliceChecks.Slice(device, Destination, (long)Rows.Length * RowLength, nameof(Destination));
        SliceChecks.Indices(Rows, SourceRows, $"a gather from {SourceRows} rows", nameof(Rows));
        SliceChecks.TrackCopy(Source, Destination);
        DeviceOps.Run(device, this, GatherReference.Run, GatherSimd.Run, GatherCuda.Run);
    }
}
