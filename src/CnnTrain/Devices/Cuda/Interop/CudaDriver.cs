using System.Runtime.InteropServices;

namespace CnnTrain.Devices.Cuda.Interop;

/// <summary>The driver as a whole: initialisation, version and the devices it sees.</summary>
internal static class CudaDriver
{
    /// <summary>
    /// Loads the driver library and initialises the driver; reports why CUDA cannot be used instead of
    /// throwing, so that callers (and tests) can fall back or skip with the reason. Safe to call repeatedly.
    /// </summary>
    /// <param name="reason">Empty on success; otherwise why no CUDA device is usable, e.g. the driver's error name.</param>
    /// <returns>True when at least one device can be used.</returns>
    public static bool TryInitialize(out string reason)
    {
        try
        {
            var result = CudaApi.cuInit(0);
            if (result != CuResult.Success)
            {
                reason = CudaCheck.Create(result, "cuInit").Message;
                return false;
            }

            result = CudaApi.cuDeviceGetCount(out int count);
            if (result != CuResult.Success)
            {
                reason = CudaCheck.Create(result, "cuDeviceGetCount").Message;
                return false;
            }

            if (count == 0)
            {
                reason = "the NVIDIA driver is loaded but reports no CUDA device";
                return false;
            }

            reason = string.Empty;
            return true;
        }
        catch (DllNotFoundException)
        {
            reason = $"the NVIDIA driver library ({CudaLibraryResolver.DriverLibraryFileName}) was not found";
            return false;
        }
        catch (EntryPointNotFoundException e)
        {
            reason = $"the NVIDIA driver library ({CudaLibraryResolver.DriverLibraryFileName}) lacks an entry point: {e.Message}";
            return false;
        }
    }

    /// <summary>
    /// Initialises the driver or says why it cannot: a missing driver library is "not supported" on this
    /// machine; a driver that fails (no device, for one) is a <see cref="CudaException"/> with its error name.
    /// </summary>
    /// <exception cref="NotSupportedException">The NVIDIA driver library is missing or too old.</exception>
    /// <exception cref="CudaException">cuInit failed.</exception>
    public static void Initialize()
    {
        CuResult result;
        try
        {
            result = CudaApi.cuInit(0);
        }
        catch (DllNotFoundException e)
        {
            throw new NotSupportedException(
                $"CUDA is not supported here: the NVIDIA driver library ({CudaLibraryResolver.DriverLibraryFileName}) was not found.", e);
        }
        catch (EntryPointNotFoundException e)
        {
            throw new NotSupportedException(
                $"CUDA is not supported here: the NVIDIA driver library ({CudaLibraryResolver.DriverLibraryFileName}) is too old ({e.Message}).", e);
        }

        CudaCheck.Check(result, "cuInit");
    }

    /// <summary>The driver's CUDA version as 1000 × major + 10 × minor, e.g. 12040 for CUDA 12.4.</summary>
    public static int DriverVersion
    {
        get
        {
            CudaCheck.Check(CudaApi.cuDriverGetVersion(out int version), "cuDriverGetVersion");
            return version;
        }
    }

    /// <summary>The number of CUDA devices; needs a successful <see cref="TryInitialize"/>.</summary>
    public static int DeviceCount
    {
        get
        {
            CudaCheck.Check(CudaApi.cuDeviceGetCount(out int count), "cuDeviceGetCount");
            return count;
        }
    }

    /// <summary>The device's product name, e.g. "NVIDIA H100 80GB HBM3".</summary>
    public static unsafe string DeviceName(int ordinal)
    {
        const int Capacity = 256;
        byte* name = stackalloc byte[Capacity];
        CudaCheck.Check(CudaApi.cuDeviceGetName(name, Capacity, Device(ordinal)), "cuDeviceGetName");
        name[Capacity - 1] = 0;
        return Marshal.PtrToStringUTF8((nint)name) ?? string.Empty;
    }

    /// <summary>The device's compute capability, e.g. (9, 0) for an H100.</summary>
    public static (int Major, int Minor) ComputeCapability(int ordinal)
    {
        int device = Device(ordinal);
        return (Attribute(CuDeviceAttribute.ComputeCapabilityMajor, device), Attribute(CuDeviceAttribute.ComputeCapabilityMinor, device));
    }

    /// <summary>The device's number of streaming multiprocessors.</summary>
    public static int MultiprocessorCount(int ordinal) => Attribute(CuDeviceAttribute.MultiprocessorCount, Device(ordinal));

    /// <summary>The device's total memory in bytes.</summary>
    public static ulong TotalMemory(int ordinal)
    {
        CudaCheck.Check(CudaApi.cuDeviceTotalMem_v2(out nuint bytes, Device(ordinal)), "cuDeviceTotalMem_v2");
        return bytes;
    }

    /// <summary>The driver's <c>CUdevice</c> for a device ordinal.</summary>
    public static int Device(int ordinal)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(ordinal);
        CudaCheck.Check(CudaApi.cuDeviceGet(out int device, ordinal), "cuDeviceGet");
        return device;
    }

    private static int Attribute(CuDeviceAttribute attribute, int device)
    {
        CudaCheck.Check(CudaApi.cuDeviceGetAttribute(out int value, attribute, device), "cuDeviceGetAttribute");
        return value;
    }
}
