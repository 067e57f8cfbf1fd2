namespace CnnTrain.Devices.Cuda.Interop;

/// <summary>
/// Queued copies and fills. Device addresses are <c>CUdeviceptr</c> values; host addresses should be
/// <see cref="PinnedHostMemory"/>, which must stay alive until the copy has run. With pageable host memory
/// the driver stages the copy and may wait for the stream first, so the copy is no longer asynchronous.
/// </summary>
internal sealed partial class CudaStream
{
    /// <summary>Queues a copy of <paramref name="bytes"/> from host memory to the device.</summary>
    public unsafe void CopyHostToDevice(nint source, ulong destination, ulong bytes) =>
        CudaCheck.Check(CudaApi.cuMemcpyHtoDAsync_v2(destination, (void*)source, (nuint)bytes, RawHandle), "cuMemcpyHtoDAsync_v2");

    /// <summary>Queues a copy of <paramref name="bytes"/> from the device to host memory.</summary>
    public unsafe void CopyDeviceToHost(ulong source, nint destination, ulong bytes) =>
        CudaCheck.Check(CudaApi.cuMemcpyDtoHAsync_v2((void*)destination, source, (nuint)bytes, RawHandle), "cuMemcpyDtoHAsync_v2");

    /// <summary>Queues a copy of <paramref name="bytes"/> between two device ranges, which must not overlap.</summary>
    public void CopyDeviceToDevice(ulong source, ulong destination, ulong bytes) =>
        CudaCheck.Check(CudaApi.cuMemcpyDtoDAsync_v2(destination, source, (nuint)bytes, RawHandle), "cuMemcpyDtoDAsync_v2");

    /// <summary>
    /// Queues a fill of <paramref name="count"/> 32-bit words with <paramref name="value"/>; the address must be
    /// 4-byte aligned. For floats pass <see cref="BitConverter.SingleToUInt32Bits(float)"/>.
    /// </summary>
    public void Memset32(ulong destination, uint value, ulong count) =>
        CudaCheck.Check(CudaApi.cuMemsetD32Async(destination, value, (nuint)count, RawHandle), "cuMemsetD32Async");
}
