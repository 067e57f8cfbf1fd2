namespace CnnTrain.Devices.Cuda.Interop;

/// <summary>An instantiated graph: replays the recorded work with one launch.</summary>
internal sealed class CudaGraphExec : IDisposable
{
    private readonly CudaGraphExecHandle _handle;

    internal CudaGraphExec(CudaGraphExecHandle handle) => _handle = handle;

    /// <summary>
    /// Queues the whole graph on <paramref name="stream"/>, after the work already queued there. The
    /// stream's context must be current on the calling thread.
    /// </summary>
    public void Launch(CudaStream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ObjectDisposedException.ThrowIf(_handle.IsClosed, this);
        CudaCheck.Check(CudaApi.cuGraphLaunch(_handle.DangerousGetHandle(), stream.RawHandle), "cuGraphLaunch");
    }

    /// <summary>Destroys the executable graph; a launch already queued still runs.</summary>
    public void Dispose() => _handle.Dispose();
}
