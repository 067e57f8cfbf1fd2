namespace CnnTrain.Devices.Cuda.Interop;

/// <summary>
/// Owns a device allocation from <c>cuMemAlloc_v2</c>; released with <c>cuMemFree_v2</c>. Live allocations
/// are counted process-wide and per context, so that tests can see every allocation returned.
/// </summary>
internal sealed class CudaMemoryHandle : CudaContextBoundHandle
{
    private static int _liveCount;

    /// <summary>Device allocations in the process not yet freed.</summary>
    public static int LiveCount => Volatile.Read(ref _liveCount);

    /// <summary>The device address; 0 before an allocation is attached.</summary>
    public ulong Pointer => (ulong)handle;

    /// <summary>The allocation's size in bytes.</summary>
    public ulong Bytes { get; private set; }

    /// <summary>Takes ownership of a device allocation the driver just made in <paramref name="context"/>.</summary>
    public void Attach(CudaContextHandle context, ulong pointer, ulong bytes)
    {
        Bytes = bytes;
        AttachResource(context, (nint)pointer);
        Interlocked.Increment(ref _liveCount);
        context.AllocationCreated();
    }

    protected override CuResult Free(nint value)
    {
        // Counted as returned even if the driver fails: the memory is unreachable from here on either way.
        Interlocked.Decrement(ref _liveCount);
        Context!.AllocationReleased();
        return CudaApi.cuMemFree_v2((ulong)value);
    }
}
