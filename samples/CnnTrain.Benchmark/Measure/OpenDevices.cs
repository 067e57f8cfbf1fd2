using CnnTrain.Devices;

namespace CnnTrain.Benchmark.Measure;

/// <summary>The devices of a run, each opened once when first needed; one that cannot be opened is reported once and skipped.</summary>
internal sealed class OpenDevices(TextWriter log) : IDisposable
{
    private readonly Dictionary<DeviceChoice, IComputeDevice?> _devices = [];

    public IComputeDevice? Get(DeviceChoice choice)
    {
        if (!_devices.TryGetValue(choice, out IComputeDevice? device))
        {
            device = choice.TryOpen(out string reason);
            if (device is null)
            {
                log.WriteLine($"{choice.Label}: skipped ({reason})");
            }

            _devices[choice] = device;
        }

        return device;
    }

    public void Dispose()
    {
        foreach (IComputeDevice? device in _devices.Values)
        {
            device?.Dispose();
        }
    }
}
