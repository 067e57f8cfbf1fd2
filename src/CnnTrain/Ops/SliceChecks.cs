using CnnTrain.Devices;

namespace CnnTrain.Ops;

/// <summary>
/// The argument checks every operation is built from, so that a bad call fails the same way on every device:
/// an <see cref="ArgumentException"/> naming the argument and the lengths or values involved, thrown before
/// anything is queued.
/// </summary>
internal static class SliceChecks
{
    public static void Batch(int batch)
    {
        if (batch < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(batch), batch, "The batch must hold at least one sample.");
        }
    }

    public static void Slice<T>(IComputeDevice device, DeviceSlice<T> slice, long expectedLength, string name)
        where T : unmanaged
    {
        Owned(device, slice, name);
        if (slice.Length != expectedLength)
        {
            throw new ArgumentException($"{name} has {slice.Length} elements; this operation needs {expectedLength}.", name);
        }
    }

    public static void Optional<T>(IComputeDevice device, DeviceSlice<T> slice, long expectedLength, string name)
        where T : unmanaged
    {
        if (!slice.IsEmpty)
        {
            Slice(device, slice, expectedLength, name);
        }
    }

    public static void Owned<T>(IComputeDevice device, DeviceSlice<T> slice, string name)
        where T : unmanaged
    {
        if (slice.Buffer is null)
        {
            throw new ArgumentException($"{name} is the empty slice; this operation needs memory there.", name);
        }

        if (!ReferenceEquals(slice.Buffer.Device, device))
        {
            throw new ArgumentException($"{name} belongs to device '{slice.Buffer.Device.Name}', not to '{device.Name}'.", name);
        }

        slice.Buffer.ThrowIfDisposed();
    }

    public static void SameLength(int source, int destination, string name)
    {
        if (source != destination)
        {
            throw new ArgumentException($"{name} has {destination} elements; the source has {source}.", name);
        }
    }

    /// <summary>Checks that every value <paramref name="indices"/> can hold lies in [0, <paramref name="limit"/>) (see <see cref="IntBounds"/>).</summary>
    public static void Indices(DeviceSlice<int> indices, int limit, string user, string name) => indices.Buffer?.Bounds?.Require(limit, user, name);

    /// <summary>Notes that a kernel writes values into <paramref name="output"/> that the host does not track.</summary>
    public static void WritesIndices(DeviceSlice<int> output) => output.Buffer?.Bounds?.MarkUntracked();

    public static void TrackUpload<T>(ReadOnlySpan<T> source, DeviceSlice<T> destination)
        where T : unmanaged
    {
        if (destination.Buffer?.Bounds is IntBounds bounds)
        {
            bounds.Upload(System.Runtime.InteropServices.MemoryMarshal.Cast<T, int>(source), nameof(destination));
        }
    }

    public static void TrackCopy<T>(DeviceSlice<T> source, DeviceSlice<T> destination)
        where T : unmanaged
    {
        if (destination.Buffer?.Bounds is IntBounds bounds && source.Buffer?.Bounds is IntBounds from)
        {
            bounds.GatherFrom(from);
        }
    }
}
