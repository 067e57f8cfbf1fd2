using Microsoft.Win32.SafeHandles;

namespace CnnTrain.Devices.Cuda.Interop;

/// <summary>
/// Owns a context made by <c>cuCtxCreate_v2</c>; releasing it calls <c>cuCtxDestroy_v2</c>. Every handle to
/// a resource in the context holds a reference to this one, so the context outlives them all, whatever
/// order they are disposed or finalized in. Also counts the live device allocations made in the context.
/// </summary>
internal sealed class CudaContextHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    private int _liveAllocations;

    /// <summary>Creates an empty handle; <see cref="Attach"/> gives it a context.</summary>
    public CudaContextHandle()
        : base(ownsHandle: true)
    {
    }

    /// <summary>Device allocations in this context not yet freed.</summary>
    public int LiveAllocations => Volatile.Read(ref _liveAllocations);

    /// <summary>Takes ownership of a context just created by the driver.</summary>
    public void Attach(nint context) => SetHandle(context);

    /// <summary>Counts a device allocation made in this context.</summary>
    public void AllocationCreated() => Interlocked.Increment(ref _liveAllocations);

    /// <summary>Counts a device allocation of this context as freed.</summary>
    public void AllocationReleased() => Interlocked.Decrement(ref _liveAllocations);

    /// <summary>Destroys the context; the runtime calls this once no resource handle references it.</summary>
    protected override bool ReleaseHandle() => CudaApi.cuCtxDestroy_v2(handle) == CuResult.Success;
}
