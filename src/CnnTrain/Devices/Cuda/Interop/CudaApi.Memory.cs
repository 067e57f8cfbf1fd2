using System.Runtime.InteropServices;

namespace CnnTrain.Devices.Cuda.Interop;

/// <summary>Device memory, pinned host memory, copies and fills.</summary>
internal static unsafe partial class CudaApi
{
    [LibraryImport(LibraryName)]
    public static partial CuResult cuMemAlloc_v2(out ulong pointer, nuint bytes);

    [LibraryImport(LibraryName)]
    public static partial CuResult cuMemFree_v2(ulong pointer);

    [LibraryImport(LibraryName)]
    public static partial CuResult cuMemGetInfo_v2(out nuint free, out nuint total);

    [LibraryImport(LibraryName)]
    public static partial CuResult cuMemAllocHost_v2(out nint pointer, nuint bytes);

    [LibraryImport(LibraryName)]
    public static partial CuResult cuMemFreeHost(nint pointer);

    [LibraryImport(LibraryName)]
    public static partial CuResult cuMemcpyHtoD_v2(ulong destination, void* source, nuint bytes);

    [LibraryImport(LibraryName)]
    public static partial CuResult cuMemcpyDtoH_v2(void* destination, ulong source, nuint bytes);

    [LibraryImport(LibraryName)]
    public static partial CuResult cuMemcpyHtoDAsync_v2(ulong destination, void* source, nuint bytes, nint stream);

    [LibraryImport(LibraryName)]
    public static partial CuResult cuMemcpyDtoHAsync_v2(void* destination, ulong source, nuint bytes, nint stream);

    [LibraryImport(LibraryName)]
    public static partial CuResult cuMemcpyDtoDAsync_v2(ulong destination, ulong source, nuint bytes, nint stream);

    [LibraryImport(LibraryName)]
    public static partial CuResult cuMemsetD8_v2(ulong destination, byte value, nuint count);

    [LibraryImport(LibraryName)]
    public static partial CuResult cuMemsetD32Async(ulong destination, uint value, nuint count, nint stream);
}
