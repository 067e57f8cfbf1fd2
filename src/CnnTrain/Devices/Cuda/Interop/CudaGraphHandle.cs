namespace CnnTrain.Devices.Cuda.Interop;

/// <summary>Owns a graph returned by <c>cuStreamEndCapture</c>; released with <c>cuGraphDestroy</c>.</summary>
internal sealed class CudaGraphHandle : CudaContextBoundHandle
{
    /// <summary>Takes ownership of a graph the driver just created in <paramref name="context"/>.</summary>
    public void Attach(CudaContextHandle context, nint graph) => AttachResource(context, graph);

    protected override CuResult Free(nint value) => CudaApi.cuGraphDestroy(value);
}
