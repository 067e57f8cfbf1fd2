using System.Runtime.InteropServices;
using System.Text.Json;
using CnnTrain.Training;

namespace CnnTrain.Mnist;

/// <summary>
/// Everything needed to compare one run with another: the resolved settings, the per-epoch metrics (step
/// losses written so they read back bit for bit), and the SHA-256 digest of the final parameters, equal
/// between two runs exactly when their parameters are bit-identical.
/// </summary>
internal sealed partial record Report(
    ReportSettings Settings,
    string Device,
    ReportNetwork Network,
    ReportData Data,
    IReadOnlyList<ReportEpoch> Epochs,
    bool Cancelled,
    double? FinalTestAccuracy,
    string ParameterDigest,
    ReportMachine Machine,
    DateTime Timestamp)
{
    /// <summary>
    /// Writes the report to <paramref name="path"/> atomically: to a temporary file in the same folder first,
    /// then moved over the target, so a reader never sees half a report and an old one survives a failed write.
    /// </summary>
    public void Write(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string full = Path.GetFullPath(path);
        string temporary = full + ".tmp";
        try
        {
            using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                JsonSerializer.Serialize(stream, this, ReportJsonContext.Default.Report);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, full, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }

    public static Report Read(string path) =>
        JsonSerializer.Deserialize(File.ReadAllText(path), ReportJsonContext.Default.Report)
        ?? throw new JsonException($"{path} holds no report.");
}

/// <summary>Every option as the run resolved it.</summary>
internal sealed partial record ReportSettings(
    string Device,
    int? Threads,
    int Filters,
    int KernelSize,
    int BatchSize,
    int Epochs,
    float LearningRate,
    float Momentum,
    int Seed,
    string Init,
    string Data,
    int? Limit);

internal sealed record ReportNetwork(string InputShape, IReadOnlyList<string> Layers, long ParameterCount);

internal sealed record ReportData(int TrainSamples, int TestSamples);

internal sealed record ReportEpoch(
    int Epoch,
    double MeanLoss,
    double TrainAccuracy,
    double? TestLoss,
    double? TestAccuracy,
    double TrainSeconds,
    double? EvalSeconds,
    double SamplesPerSecond,
    IReadOnlyList<float> StepLosses)
{
    /// <summary>The validation loss of <c>--validation</c>; null without it.</summary>
    public double? ValidationLoss { get; init; }

    /// <summary>The validation accuracy of <c>--validation</c>; null without it.</summary>
    public double? ValidationAccuracy { get; init; }

    public static ReportEpoch From(EpochMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        return new ReportEpoch(
            metrics.Epoch, metrics.MeanLoss, metrics.TrainAccuracy, metrics.Test?.MeanLoss, metrics.Test?.Accuracy,
            metrics.TrainTime.TotalSeconds, metrics.Test?.Time.TotalSeconds, metrics.SamplesPerSecond, metrics.StepLosses)
        {
            ValidationLoss = metrics.Validation?.MeanLoss,
            ValidationAccuracy = metrics.Validation?.Accuracy,
        };
    }
}

internal sealed record ReportMachine(string Os, string Architecture, int ProcessorCount, string DotnetVersion)
{
    public static ReportMachine Current() => new(
        RuntimeInformation.OSDescription, RuntimeInformation.OSArchitecture.ToString().ToLowerInvariant(),
        Environment.ProcessorCount, RuntimeInformation.FrameworkDescription);
}
