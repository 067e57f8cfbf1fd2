using CnnTrain.Devices;
using CnnTrain.Devices.Multicore;
using CnnTrain.Devices.Sequential;

namespace CnnTrain.Mnist;

/// <summary>The one place that turns <c>--device</c> into a device, so a new device is added here and nowhere else.</summary>
internal static class DeviceFactory
{
    /// <summary>Creates the device <paramref name="options"/> ask for; the caller disposes it.</summary>
    /// <exception cref="NotSupportedException">The device is not part of this build.</exception>
    public static IComputeDevice Create(Options options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.Device switch
        {
            DeviceKind.Sequential => new SequentialDevice(),
            DeviceKind.Multicore => new MulticoreDevice(options.Threads),
            DeviceKind.Cuda => throw new NotSupportedException("the cuda device is not available in this build"),
            _ => throw new ArgumentOutOfRangeException(nameof(options), options.Device, "Unknown device."),
        };
    }
}
