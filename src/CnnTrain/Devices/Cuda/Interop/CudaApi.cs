using System.Runtime.InteropServices;

namespace CnnTrain.Devices.Cuda.Interop;

/// <summary>
/// The CUDA driver API entry points this library uses, with blittable signatures: handles are
/// <see cref="nint"/>, <c>CUdeviceptr</c> is <see cref="ulong"/>, <c>size_t</c> is <see cref="nuint"/>,
/// <c>CUdevice</c> is <see cref="int"/>. Versioned entry points (<c>_v2</c>) are named explicitly because
/// cuda.h maps the plain names to them by macro. This part holds initialisation, devices, contexts and errors.
/// </summary>
internal static unsafe partial class CudaApi
{
    /// <summary>The logical library name, mapped to the platform's driver by <see cref="CudaLibraryResolver"/>.</summary>
    public const string LibraryName = "cuda";

    static CudaApi() => CudaLibraryResolver.EnsureRegistered();

    [LibraryImport(LibraryName)]
    public static partial CuResult cuInit(uint flags);

    [LibraryImport(LibraryName)]
    public static partial CuResult cuDriverGetVersion(out int driverVersion);

    [LibraryImport(LibraryName)]
    public static partial CuResult cuDeviceGetCount(out int count);

    [LibraryImport(LibraryName)]
    public static partial CuResult cuDeviceGet(out int device, int ordinal);

    [LibraryImport(LibraryName)]
    public static partial CuResult cuDeviceGetName(byte* name, int length, int device);

    [LibraryImport(LibraryName)]
    public static partial CuResult cuDeviceGetAttribute(out int value, CuDeviceAttribute attribute, int device);

    [LibraryImport(LibraryName)]
    public static partial CuResult cuDeviceTotalMem_v2(out nuint bytes, int device);

    [LibraryImport(LibraryName)]
    public static partial CuResult cuCtxCreate_v2(out nint context, uint flags, int device);

    [LibraryImport(LibraryName)]
    public static partial CuResult cuCtxDestroy_v2(nint context);

    [LibraryImport(LibraryName)]
    public static partial CuResult cuCtxSetCurrent(nint context);

    [LibraryImport(LibraryName)]
    public static partial CuResult cuCtxGetCurrent(out nint context);

    [LibraryImport(LibraryName)]
    public static partial CuResult cuCtxSynchronize();

    [LibraryImport(LibraryName)]
    public static partial CuResult cuGetErrorName(CuResult error, out nint text);

    [LibraryImport(LibraryName)]
    public static partial CuResult cuGetErrorString(CuResult error, out nint text);
}
