namespace CnnTrain.Devices.Cuda.Interop;

/// <summary>Work recorded by stream capture; <see cref="Instantiate"/> turns it into something launchable.</summary>
internal sealed class CudaGraph : IDisposable
{
    private readonly CudaContext _context;
    private readonly CudaGraphHandle _handle;

    internal CudaGraph(CudaContext context, CudaGraphHandle handle)
    {
        _context = context;
        _handle = handle;
    }

    /// <summary>
    /// Builds the executable graph (<c>cuGraphInstantiateWithFlags</c>, CUDA 11.4+). The graph itself may be
    /// disposed afterwards; the executable graph does not depend on it.
    /// </summary>
    /// <exception cref="CudaException">
    /// Instantiation failed; <c>CUDA_ERROR_NOT_SUPPORTED</c> when the driver predates CUDA 11.4.
    /// </exception>
    public CudaGraphExec Instantiate()
    {
        ObjectDisposedException.ThrowIf(_handle.IsClosed, this);
        var handle = new CudaGraphExecHandle();
        _context.MakeCurrent();
        CuResult result;
        nint graphExec;
        try
        {
            result = CudaApi.cuGraphInstantiateWithFlags(out graphExec, _handle.DangerousGetHandle(), 0);
        }
        catch (EntryPointNotFoundException)
        {
            throw new CudaException(
                "cuGraphInstantiateWithFlags", (int)CuResult.NotSupported, CudaErrorText.FallbackName(CuResult.NotSupported),
                "the NVIDIA driver is older than CUDA 11.4, which introduced this call", null);
        }

        CudaCheck.Check(result, "cuGraphInstantiateWithFlags");
        handle.Attach(_context.Handle, graphExec);
        return new CudaGraphExec(handle);
    }

    /// <summary>Destroys the graph.</summary>
    public void Dispose() => _handle.Dispose();
}
