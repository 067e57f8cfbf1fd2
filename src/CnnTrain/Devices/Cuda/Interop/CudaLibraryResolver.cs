using System.Reflection;
using System.Runtime.InteropServices;

namespace CnnTrain.Devices.Cuda.Interop;

/// <summary>
/// Maps the logical library name <see cref="CudaApi.LibraryName"/> to the NVIDIA driver library of the
/// platform. The runtime allows one resolver per assembly, so this is the resolver of the whole CnnTrain
/// assembly: another native library must be mapped here, not by a second registration.
/// </summary>
internal static class CudaLibraryResolver
{
    private static int _registered;

    /// <summary>The driver library's file name on this platform, for messages.</summary>
    public static string DriverLibraryFileName =>
        OperatingSystem.IsWindows() ? "nvcuda.dll" : "libcuda.so.1";

    /// <summary>Registers the resolver; later calls do nothing.</summary>
    public static void EnsureRegistered()
    {
        if (Interlocked.Exchange(ref _registered, 1) == 0)
        {
            NativeLibrary.SetDllImportResolver(typeof(CudaLibraryResolver).Assembly, Resolve);
        }
    }

    private static nint Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (libraryName != CudaApi.LibraryName)
        {
            return 0;
        }

        // The driver is installed with the display driver, never next to the application: look only where
        // the system keeps it, so that a stray copy in the application folder is not picked up.
        nint library;
        if (OperatingSystem.IsWindows())
        {
            return NativeLibrary.TryLoad("nvcuda.dll", assembly, DllImportSearchPath.System32, out library) ? library : 0;
        }

        // The unversioned libcuda.so belongs to the development package and is often missing at run time.
        return OperatingSystem.IsLinux() && NativeLibrary.TryLoad("libcuda.so.1", out library) ? library : 0;
    }
}
