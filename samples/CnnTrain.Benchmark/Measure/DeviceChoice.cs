using CnnTrain.Devices;
using CnnTrain.Devices.Cuda;
using CnnTrain.Devices.Multicore;
using CnnTrain.Devices.Sequential;

namespace CnnTrain.Benchmark.Measure;

/// <summary>One device the suite runs on: its mode ("cuda", "multicore", "sequential"), thread count, and how to open it.</summary>
internal sealed record DeviceChoice(string Mode, int? Threads)
{
    public static readonly IReadOnlyList<string> Modes = ["cuda", "multicore", "sequential"];

    /// <summary>"gpu" or "cpu": which peers CnnTrain is compared with.</summary>
    public string Platform => Mode == "cuda" ? "gpu" : "cpu";

    public string Label => Threads is int t ? $"{Mode}/{t}" : Mode;

    /// <summary>Each requested mode, multicore once per thread count.</summary>
    public static IReadOnlyList<DeviceChoice> Expand(IReadOnlyList<string> modes, IReadOnlyList<int> threads) =>
    [
        .. modes.SelectMany(m => m == "multicore"
            ? threads.Select(t => new DeviceChoice(m, t))
            : [new DeviceChoice(m, m == "sequential" ? 1 : null)]),
    ];

    /// <summary>Opens the device; null with a reason when it cannot be had here (no GPU, no driver).</summary>
    public IComputeDevice? TryOpen(out string reason)
    {
        reason = string.Empty;
        switch (Mode)
        {
            case "cuda":
                if (!CudaDevice.IsAvailable(out reason))
                {
                    return null;
                }

                return new CudaDevice();
            case "multicore":
                return new MulticoreDevice(Threads);
            default:
                return new SequentialDevice();
        }
    }
}
