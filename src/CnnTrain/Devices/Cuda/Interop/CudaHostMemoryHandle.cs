namespace CnnTrain.Devices.Cuda.Interop;

/// <summary>Owns page-locked host memory from <c>cuMemAllocHost_v2</c>; released with <c>cuMemFreeHost</c>.</summary>
internal sealed class CudaHostMemoryHandle : CudaContextBoundHandle
{
    /// <summary>The allocation's size in bytes.</summary>
    public ulong Bytes { get; private set; }

    /// <summary>Takes ownership of a pinned host allocation the driver just made in <paramref name="context"/>.</summary>
    public void Attach(CudaContextHandle context, nint pointer, ulong bytes)
    {
        Bytes = bytes;
        AttachResource(context, pointer);
    }

    protected override CuResult Free(nint value) => CudaApi.cuMemFreeHost(value);
}
