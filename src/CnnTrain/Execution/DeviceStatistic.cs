using CnnTrain.Devices;

namespace CnnTrain.Execution;

/// <summary>
/// A layer's non-trainable tensor (a running mean or variance) on the device: copied in with the parameters, updated
/// by training steps, copied back when an epoch commits. <see cref="Host"/> is the layer's own array.
/// </summary>
internal sealed class DeviceStatistic(IComputeDevice device, string name, float[] host) : IDisposable
{
    public string Name { get; } = name;

    public float[] Host { get; } = host;

    public DeviceBuffer<float> Values { get; } = device.Allocate<float>(host.Length);

    public void Dispose() => Values.Dispose();
}
