namespace CnnTrain.Devices.Cuda.Interop;

/// <summary>
/// Page-locked host memory from <c>cuMemAllocHost_v2</c>. Copies between it and the device are truly
/// asynchronous, so it must stay alive until the copies queued on it have completed.
/// </summary>
internal sealed class PinnedHostMemory : IDisposable
{
    private readonly CudaHostMemoryHandle _handle;

    private PinnedHostMemory(CudaHostMemoryHandle handle, ulong bytes)
    {
        _handle = handle;
        Bytes = bytes;
    }

    /// <summary>The host address of the first byte.</summary>
    public nint Pointer
    {
        get
        {
            ObjectDisposedException.ThrowIf(_handle.IsClosed, this);
            return _handle.DangerousGetHandle();
        }
    }

    /// <summary>The size in bytes.</summary>
    public ulong Bytes { get; }

    /// <summary>Allocates <paramref name="bytes"/> (at least 1) of page-locked memory for the context's device.</summary>
    public static PinnedHostMemory Allocate(CudaContext context, ulong bytes)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentOutOfRangeException.ThrowIfZero(bytes);
        var handle = new CudaHostMemoryHandle();
        context.MakeCurrent();
        var result = CudaApi.cuMemAllocHost_v2(out nint pointer, (nuint)bytes);
        if (result != CuResult.Success)
        {
            CudaCheck.Throw(result, $"cuMemAllocHost_v2({bytes} bytes)");
        }

        handle.Attach(context.Handle, pointer, bytes);
        return new PinnedHostMemory(handle, bytes);
    }

    /// <summary>The memory as elements of <typeparamref name="T"/>; as many as fit.</summary>
    public unsafe Span<T> AsSpan<T>()
        where T : unmanaged =>
        new((void*)Pointer, checked((int)(Bytes / (ulong)sizeof(T))));

    /// <summary>Frees the memory.</summary>
    public void Dispose() => _handle.Dispose();
}
