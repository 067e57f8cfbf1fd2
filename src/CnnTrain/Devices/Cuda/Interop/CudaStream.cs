namespace CnnTrain.Devices.Cuda.Interop;

/// <summary>
/// A stream: an ordered queue of device work. Created blocking (<c>CU_STREAM_DEFAULT</c>) so that it waits
/// for work on the legacy default stream, where the synchronous fills and copies of
/// <see cref="CudaDeviceMemory"/> run. Nothing queued here waits for the device; call
/// <see cref="Synchronize"/> or use a <see cref="CudaEvent"/> for that.
/// </summary>
internal sealed partial class CudaStream : IDisposable
{
    private const uint BlockingFlags = 0;

    private readonly CudaStreamHandle _handle;

    /// <summary>Creates a stream in <paramref name="context"/>.</summary>
    public CudaStream(CudaContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var handle = new CudaStreamHandle();
        context.MakeCurrent();
        CudaCheck.Check(CudaApi.cuStreamCreate(out nint stream, BlockingFlags), "cuStreamCreate");
        handle.Attach(context.Handle, stream);
        _handle = handle;
        Context = context;
    }

    /// <summary>The context the stream belongs to.</summary>
    public CudaContext Context { get; }

    /// <summary>The raw <c>CUstream</c> for a driver call.</summary>
    internal nint RawHandle
    {
        get
        {
            ObjectDisposedException.ThrowIf(_handle.IsClosed, this);
            return _handle.DangerousGetHandle();
        }
    }

    /// <summary>Blocks until the queued work has finished; reports errors from that work.</summary>
    public void Synchronize() => CudaCheck.Check(CudaApi.cuStreamSynchronize(RawHandle), "cuStreamSynchronize");

    /// <summary>
    /// Starts recording: work queued on this stream until <see cref="EndCapture"/> is recorded into a graph
    /// instead of run. Synchronous calls (copies, fills, allocations, waits) are not allowed meanwhile.
    /// </summary>
    public void BeginCapture(CuStreamCaptureMode mode = CuStreamCaptureMode.ThreadLocal) =>
        CudaCheck.Check(CudaApi.cuStreamBeginCapture_v2(RawHandle, mode), "cuStreamBeginCapture_v2");

    /// <summary>Ends recording and returns the recorded work as a graph.</summary>
    /// <exception cref="CudaException">The capture was invalidated, e.g. by a disallowed call while recording.</exception>
    public CudaGraph EndCapture()
    {
        var handle = new CudaGraphHandle();
        CudaCheck.Check(CudaApi.cuStreamEndCapture(RawHandle, out nint graph), "cuStreamEndCapture");
        handle.Attach(Context.Handle, graph);
        return new CudaGraph(Context, handle);
    }

    /// <summary>Destroys the stream; work already queued still runs.</summary>
    public void Dispose() => _handle.Dispose();
}
