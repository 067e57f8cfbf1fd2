using System.Text.Json.Serialization;

namespace CnnTrain.Benchmark.Measure;

/// <summary>
/// One implementation's run of one suite point, in the schema every peer writes (one JSON object per line,
/// snake_case; join.py reads them all). Epoch times are per <see cref="EpochImages"/> images: a run timed on a
/// slice of the epoch is scaled to the whole epoch, and says so in <see cref="Scaled"/>.
/// </summary>
internal sealed record Measurement
{
    public string Implementation { get; init; } = "cnntrain";

    public string Version { get; init; } = string.Empty;

    public string Mode { get; init; } = string.Empty;

    public string Platform { get; init; } = string.Empty;

    public string Precision { get; init; } = "fp32";

    public int? Threads { get; init; }

    public string DeviceName { get; init; } = string.Empty;

    public string Network { get; init; } = string.Empty;

    public int Batch { get; init; }

    public int EpochImages { get; init; }

    public int TimedImages { get; init; }

    public bool Scaled { get; init; }

    public double WarmupSeconds { get; init; }

    public IReadOnlyList<double> EpochSeconds { get; init; } = [];

    public double BestSeconds { get; init; }

    public double MedianSeconds { get; init; }

    public double ImagesPerSecond { get; init; }

    public long? PeakDeviceBytes { get; init; }

    public long? PeakHostBytes { get; init; }

    public string? CheckDigest { get; init; }

    public string? FinalDigest { get; init; }

    public double? FinalLoss { get; init; }

    public string? Error { get; init; }

    /// <summary>The fields that say what was measured, where; the timings are added to it.</summary>
    public static Measurement For(DeviceChoice choice, Devices.IComputeDevice device, string network, int batch, int epochImages) => new()
    {
        Version = typeof(Network).Assembly.GetName().Version?.ToString(3) ?? string.Empty,
        Mode = choice.Mode,
        Platform = choice.Platform,
        Threads = choice.Threads,
        DeviceName = device.Name,
        Network = network,
        Batch = batch,
        EpochImages = epochImages,
    };

    public static double Median(IReadOnlyList<double> values)
    {
        double[] sorted = [.. values.Order()];
        int n = sorted.Length;
        return n == 0 ? double.NaN : n % 2 == 1 ? sorted[n / 2] : (sorted[(n / 2) - 1] + sorted[n / 2]) / 2;
    }
}

/// <summary>One step profile of one network on one device, for profiles.jsonl.</summary>
internal sealed record ProfileRecord(
    string Implementation, string Mode, int? Threads, string DeviceName, string Network, int Batch,
    IReadOnlyList<ProfiledOperation> Operations, double StepMicroseconds, double FloorMicroseconds);

/// <summary>One operation of a profiled step.</summary>
internal sealed record ProfiledOperation(string Operation, double Microseconds, int Repeats);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(Measurement))]
[JsonSerializable(typeof(ProfileRecord))]
internal sealed partial class MeasurementJson : JsonSerializerContext;
