namespace CnnTrain.Devices.Cuda.Interop;

/// <summary>Owns an executable graph from <c>cuGraphInstantiateWithFlags</c>; released with <c>cuGraphExecDestroy</c>.</summary>
internal sealed class CudaGraphExecHandle : CudaContextBoundHandle
{
    /// <summary>Takes ownership of a executable graph the driver just created in <paramref name="context"/>.</summary>
    public void Attach(CudaContextHandle context, nint graphExec) => AttachResource(context, graphExec);

    protected override CuResult Free(nint value) => CudaApi.cuGraphExecDestroy(value);
}
