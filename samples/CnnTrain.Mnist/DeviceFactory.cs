using CnnTrain.Devices;
using CnnTrain.Devices.Cuda;
using CnnTrain.Devices.Multicore;
using CnnTrain.Devices.Sequential;

namespace CnnTrain.Mnist;

/// <summary>The one place that turns <c>--device</c> into a device, so a new device is added here and nowhere else.</summary>
internal static class DeviceFactory
{
    /// <summary>Creates the device <paramref name="options"/> ask for; the caller disposes it.</summary>
    /// <exception cref="NotSupportedException">CUDA was asked for and the NVIDIA driver is missing.</exception>
    /// <exception cref="CudaException">CUDA was asked for and the driver failed (no device, for one).</exception>
    public static IComputeDevice Create(Options options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.Device switch
        {
            DeviceKind.Sequential => new SequentialDevice(),
            DeviceKind.Multicore => new MulticoreDevice(options.Threads),
            DeviceKind.Cuda => new CudaDevice(),
            _ => throw new ArgumentOutOfRangeException(nameof(options), options.Device, "Unknown device."),
        };
    }
}
