using System.Runtime.InteropServices;

namespace CnnTrain.Devices.Cuda.Interop;

/// <summary>Modules, kernels and launches.</summary>
internal static unsafe partial class CudaApi
{
    [LibraryImport(LibraryName)]
    public static partial CuResult cuModuleLoadDataEx(
        out nint module, void* image, uint optionCount, CuJitOption* options, nint* optionValues);

    [LibraryImport(LibraryName)]
    public static partial CuResult cuModuleUnload(nint module);

    [LibraryImport(LibraryName)]
    public static partial CuResult cuModuleGetFunction(out nint function, nint module, byte* name);

    [LibraryImport(LibraryName)]
    public static partial CuResult cuLaunchKernel(
        nint function, uint gridX, uint gridY, uint gridZ, uint blockX, uint blockY, uint blockZ,
        uint sharedMemoryBytes, nint stream, nint* kernelParameters, nint* extra);
}
