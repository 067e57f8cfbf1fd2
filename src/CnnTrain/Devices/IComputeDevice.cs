namespace CnnTrain.Devices;

/// <summary>
/// A device that trains and runs networks: <see cref="Sequential.SequentialDevice"/> (the reference),
/// <see cref="Multicore.MulticoreDevice"/> (all CPU cores) or <see cref="Cuda.CudaDevice"/> (an NVIDIA GPU).
/// Pass one to a <see cref="Training.Trainer"/> or to <see cref="Network"/>'s methods; the caller owns it.
/// </summary>
/// <remarks>
/// Besides identifying the device, the interface is its memory and its queue: buffers, host transfers, recorded
/// programs and markers, which the library's operations build on (docs/architecture.md). Work is queued in call
/// order and may run asynchronously; <see cref="Download{T}"/> and <see cref="Synchronize"/> wait for it. The
/// library's operations run on the devices CnnTrain provides; other implementations of this interface cannot run them.
/// </remarks>
public interface IComputeDevice : IDisposable
{
    /// <summary>A short description of the device, e.g. "multicore (8 threads, 512-bit SIMD)".</summary>
    string Name { get; }

    /// <summary>Bytes held by this device's buffers that are not yet disposed.</summary>
    long AllocatedBytes { get; }

    /// <summary>The most bytes this device's buffers held at once since it was created or <see cref="ResetPeakAllocatedBytes"/> was last called.</summary>
    long PeakAllocatedBytes { get; }

    /// <summary>Starts a new peak: <see cref="PeakAllocatedBytes"/> becomes <see cref="AllocatedBytes"/>.</summary>
    void ResetPeakAllocatedBytes();

    /// <summary>Allocates <paramref name="length"/> zero-filled elements on the device.</summary>
    DeviceBuffer<T> Allocate<T>(int length)
        where T : unmanaged;

    /// <summary>Copies host data into a device slice of the same length.</summary>
    void Upload<T>(ReadOnlySpan<T> source, DeviceSlice<T> destination)
        where T : unmanaged;

    /// <summary>Waits for queued work, then copies a device slice into host memory of the same length.</summary>
    void Download<T>(DeviceSlice<T> source, Span<T> destination)
        where T : unmanaged;

    /// <summary>Copies between two device slices of the same length.</summary>
    void Copy<T>(DeviceSlice<T> source, DeviceSlice<T> destination)
        where T : unmanaged;

    /// <summary>Sets every element of <paramref name="destination"/> to <paramref name="value"/>.</summary>
    void Fill(float value, DeviceSlice<float> destination);

    /// <summary>
    /// Records the work that <paramref name="work"/> queues, without running it, into a program that replays it.
    /// Only device work may be queued while recording: allocations, uploads, downloads and waits throw.
    /// </summary>
    IDeviceProgram Record(Action work);

    /// <summary>Places a marker after the work queued so far.</summary>
    IDeviceMarker Mark();

    /// <summary>Blocks until all queued work has finished.</summary>
    void Synchronize();
}
