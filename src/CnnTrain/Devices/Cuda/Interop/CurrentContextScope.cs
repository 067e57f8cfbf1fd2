namespace CnnTrain.Devices.Cuda.Interop;

/// <summary>
/// Makes a context current for a block and then restores the thread's previous one. Used where the thread
/// is not ours to change, such as the finalizer thread or a caller's thread that disposes a handle.
/// Errors are ignored: the calls that follow report their own.
/// </summary>
internal readonly ref struct CurrentContextScope
{
    private readonly nint _previous;
    private readonly bool _switched;

    /// <summary>Makes <paramref name="context"/> current unless it already is.</summary>
    public CurrentContextScope(nint context)
    {
        if (CudaApi.cuCtxGetCurrent(out var current) == CuResult.Success && current != context)
        {
            _switched = CudaApi.cuCtxSetCurrent(context) == CuResult.Success;
            _previous = current;
        }
    }

    /// <summary>Restores the thread's previous context.</summary>
    public void Dispose()
    {
        if (_switched)
        {
            _ = CudaApi.cuCtxSetCurrent(_previous);
        }
    }
}
