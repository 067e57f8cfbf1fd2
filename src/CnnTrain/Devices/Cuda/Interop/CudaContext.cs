namespace CnnTrain.Devices.Cuda.Interop;

/// <summary>
/// A context on one device, created with <c>cuCtxCreate_v2</c> and current on the creating thread.
/// Driver calls act on the calling thread's current context: the wrappers that are not on the hot path make
/// this context current themselves; launches, asynchronous copies, event records and graph launches do not,
/// so a thread that queues work must call <see cref="MakeCurrent"/> once before it does.
/// </summary>
internal sealed class CudaContext : IDisposable
{
    private const uint SchedulingAuto = 0x00;
    private const uint SchedulingBlockingSync = 0x04;

    /// <summary>Initialises the driver if needed and creates a context on the device.</summary>
    /// <param name="deviceOrdinal">The device, from 0 to <see cref="CudaDriver.DeviceCount"/> − 1.</param>
    /// <param name="blockingSync">
    /// True to make waiting threads sleep instead of spin, which frees a CPU core at the cost of latency.
    /// </param>
    public CudaContext(int deviceOrdinal, bool blockingSync = false)
    {
        CudaCheck.Check(CudaApi.cuInit(0), "cuInit");
        int device = CudaDriver.Device(deviceOrdinal);
        var handle = new CudaContextHandle();
        CudaCheck.Check(CudaApi.cuCtxCreate_v2(out nint context, blockingSync ? SchedulingBlockingSync : SchedulingAuto, device), "cuCtxCreate_v2");
        handle.Attach(context);
        Handle = handle;
        DeviceOrdinal = deviceOrdinal;
    }

    /// <summary>The device this context runs on.</summary>
    public int DeviceOrdinal { get; }

    /// <summary>The owning handle, which resources created in this context reference.</summary>
    public CudaContextHandle Handle { get; }

    /// <summary>Device allocations in this context not yet freed.</summary>
    public int LiveAllocations => Handle.LiveAllocations;

    /// <summary>Free and total device memory in bytes, as the driver sees them now.</summary>
    public (ulong Free, ulong Total) MemoryInfo
    {
        get
        {
            MakeCurrent();
            CudaCheck.Check(CudaApi.cuMemGetInfo_v2(out nuint free, out nuint total), "cuMemGetInfo_v2");
            return (free, total);
        }
    }

    /// <summary>Makes this context current on the calling thread.</summary>
    public void MakeCurrent()
    {
        ObjectDisposedException.ThrowIf(Handle.IsClosed, this);
        CudaCheck.Check(CudaApi.cuCtxSetCurrent(Handle.DangerousGetHandle()), "cuCtxSetCurrent");
    }

    /// <summary>Blocks until all work queued in this context has finished; reports errors from that work.</summary>
    public void Synchronize()
    {
        MakeCurrent();
        CudaCheck.Check(CudaApi.cuCtxSynchronize(), "cuCtxSynchronize");
    }

    /// <summary>
    /// Releases the context once the resources created in it are released too. Until then they can still be
    /// disposed (or finalized), but no longer used: their operations make this context current, which throws.
    /// </summary>
    public void Dispose() => Handle.Dispose();
}
