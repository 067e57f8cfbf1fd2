namespace CnnTrain.Devices.Cuda.Interop;

/// <summary>Owns a stream made by <c>cuStreamCreate</c>; released with <c>cuStreamDestroy_v2</c>.</summary>
internal sealed class CudaStreamHandle : CudaContextBoundHandle
{
    /// <summary>Takes ownership of a stream the driver just created in <paramref name="context"/>.</summary>
    public void Attach(CudaContextHandle context, nint stream) => AttachResource(context, stream);

    protected override CuResult Free(nint value) => CudaApi.cuStreamDestroy_v2(value);
}
