namespace CnnTrain.Devices.Cuda.Interop;

/// <summary>Owns a module loaded by <c>cuModuleLoadDataEx</c>; released with <c>cuModuleUnload</c>.</summary>
internal sealed class CudaModuleHandle : CudaContextBoundHandle
{
    /// <summary>Takes ownership of a module the driver just created in <paramref name="context"/>.</summary>
    public void Attach(CudaContextHandle context, nint module) => AttachResource(context, module);

    protected override CuResult Free(nint value) => CudaApi.cuModuleUnload(value);
}
