namespace CnnTrain.Devices.Cuda.Interop;

/// <summary>Owns an event made by <c>cuEventCreate</c>; released with <c>cuEventDestroy_v2</c>.</summary>
internal sealed class CudaEventHandle : CudaContextBoundHandle
{
    /// <summary>Takes ownership of a event the driver just created in <paramref name="context"/>.</summary>
    public void Attach(CudaContextHandle context, nint @event) => AttachResource(context, @event);

    protected override CuResult Free(nint value) => CudaApi.cuEventDestroy_v2(value);
}
