namespace CnnTrain.Devices.Cuda.Interop;

/// <summary>
/// A device allocation, zero-filled when allocated. Addresses are plain <c>CUdeviceptr</c> values
/// (<see cref="ulong"/>), so that slices are <c>Pointer + offset</c>. The copies here are synchronous;
/// queued copies are on <see cref="CudaStream"/>.
/// </summary>
internal sealed class CudaDeviceMemory : IDisposable
{
    private readonly CudaContext _context;
    private readonly CudaMemoryHandle _handle;

    private CudaDeviceMemory(CudaContext context, CudaMemoryHandle handle, ulong bytes)
    {
        _context = context;
        _handle = handle;
        Bytes = bytes;
    }

    /// <summary>The device address of the first byte; 0 for an empty allocation.</summary>
    public ulong Pointer
    {
        get
        {
            ObjectDisposedException.ThrowIf(_handle.IsClosed, this);
            return _handle.Pointer;
        }
    }

    /// <summary>The size in bytes.</summary>
    public ulong Bytes { get; }

    /// <summary>
    /// Allocates <paramref name="bytes"/> of zero-filled device memory. The fill is queued on the legacy
    /// default stream, which the blocking streams of <see cref="CudaStream"/> wait for, so work queued on
    /// them afterwards sees zeros. Zero bytes gives an empty allocation with a null pointer, as the driver
    /// rejects empty allocations. Do not allocate while a stream is being captured.
    /// </summary>
    public static CudaDeviceMemory Allocate(CudaContext context, ulong bytes)
    {
        ArgumentNullException.ThrowIfNull(context);
        var handle = new CudaMemoryHandle();
        if (bytes == 0)
        {
            return new CudaDeviceMemory(context, handle, 0);
        }

        context.MakeCurrent();
        var result = CudaApi.cuMemAlloc_v2(out ulong pointer, (nuint)bytes);
        if (result != CuResult.Success)
        {
            CudaCheck.Throw(result, $"cuMemAlloc_v2({bytes} bytes)");
        }

        handle.Attach(context.Handle, pointer, bytes);
        result = CudaApi.cuMemsetD8_v2(pointer, 0, (nuint)bytes);
        if (result != CuResult.Success)
        {
            handle.Dispose();
            CudaCheck.Throw(result, "cuMemsetD8_v2");
        }

        return new CudaDeviceMemory(context, handle, bytes);
    }

    /// <summary>Copies host data to <paramref name="byteOffset"/>; returns when the source may be reused.</summary>
    public unsafe void CopyFromHost<T>(ReadOnlySpan<T> source, ulong byteOffset = 0)
        where T : unmanaged
    {
        ulong bytes = CheckRange<T>(source.Length, byteOffset);
        _context.MakeCurrent();
        fixed (T* host = source)
        {
            CudaCheck.Check(CudaApi.cuMemcpyHtoD_v2(Pointer + byteOffset, host, (nuint)bytes), "cuMemcpyHtoD_v2");
        }
    }

    /// <summary>Copies from <paramref name="byteOffset"/> into host memory; returns when the copy has completed.</summary>
    public unsafe void CopyToHost<T>(Span<T> destination, ulong byteOffset = 0)
        where T : unmanaged
    {
        ulong bytes = CheckRange<T>(destination.Length, byteOffset);
        _context.MakeCurrent();
        fixed (T* host = destination)
        {
            CudaCheck.Check(CudaApi.cuMemcpyDtoH_v2(host, Pointer + byteOffset, (nuint)bytes), "cuMemcpyDtoH_v2");
        }
    }

    /// <summary>Frees the memory.</summary>
    public void Dispose() => _handle.Dispose();

    private unsafe ulong CheckRange<T>(int length, ulong byteOffset)
        where T : unmanaged
    {
        ulong bytes = (ulong)length * (ulong)sizeof(T);
        if (byteOffset > Bytes || bytes > Bytes - byteOffset)
        {
            throw new ArgumentOutOfRangeException(nameof(byteOffset), byteOffset, $"{bytes} bytes from offset {byteOffset} do not fit in an allocation of {Bytes} bytes.");
        }

        return bytes;
    }
}
