namespace CnnTrain.Devices;

/// <summary>
/// A block of elements owned by one <see cref="IComputeDevice"/>: host memory for the CPU devices,
/// GPU memory for the CUDA device. Created by <see cref="IComputeDevice.Allocate{T}(int)"/>, zero-filled,
/// and released by <see cref="Dispose()"/>.
/// </summary>
/// <typeparam name="T">An unmanaged element type (the library uses <see cref="float"/> and <see cref="int"/>).</typeparam>
public abstract class DeviceBuffer<T> : IDisposable
    where T : unmanaged
{
    private protected DeviceBuffer(IComputeDevice device, int length)
    {
        ArgumentNullException.ThrowIfNull(device);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        Device = device;
        Length = length;
        Bounds = typeof(T) == typeof(int) ? new IntBounds() : null;
    }

    /// <summary>The device that owns this buffer; operations on another device reject it.</summary>
    public IComputeDevice Device { get; }

    /// <summary>The number of elements.</summary>
    public int Length { get; }

    /// <summary>Whether <see cref="Dispose()"/> has released the memory.</summary>
    public bool IsDisposed { get; private set; }

    /// <summary>The whole buffer as a slice.</summary>
    public DeviceSlice<T> All => new(this, 0, Length);

    /// <summary>A view of <paramref name="length"/> elements from <paramref name="start"/>.</summary>
    public DeviceSlice<T> Slice(int start, int length) => All.Slice(start, length);

    /// <summary>A view of the whole buffer.</summary>
    public static implicit operator DeviceSlice<T>(DeviceBuffer<T> buffer) =>
        buffer is null ? default : buffer.All;

    /// <summary>The whole buffer as a slice (the named form of the implicit conversion).</summary>
    public DeviceSlice<T> ToDeviceSlice() => All;

    /// <summary>Releases the memory; later use of the buffer throws <see cref="ObjectDisposedException"/>.</summary>
    public void Dispose()
    {
        if (!IsDisposed)
        {
            IsDisposed = true;
            Dispose(true);
            GC.SuppressFinalize(this);
        }
    }

    /// <summary>For an int buffer, what the host knows of its values (checked where they are used as indices).</summary>
    internal IntBounds? Bounds { get; }

    /// <summary>Throws <see cref="ObjectDisposedException"/> when the buffer was released.</summary>
    internal void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(IsDisposed, this);

    /// <summary>Releases the device memory.</summary>
    private protected abstract void Dispose(bool disposing);
}
