using System.Globalization;
using CnnTrain.Benchmark.Suite;
using CnnTrain.Data;
using CnnTrain.Devices;

namespace CnnTrain.Benchmark.Measure;

/// <summary>
/// Runs every selected network × batch × device, prints a line per run, writes results.jsonl, and checks that
/// the devices agree: every device's check run of a point must end with the same parameter digest.
/// </summary>
internal sealed class SuiteRunner(SuiteSpec suite, BenchmarkSettings settings, TextWriter output, TextWriter log)
{
    private const string Header = "network          batch  device           timed  warm-up s    best s  median s      img/s  dev MiB  host MiB  check digest";

    public IReadOnlyList<Measurement> Results { get; private set; } = [];

    /// <summary>Points whose devices ended the check run with different digests.</summary>
    public IReadOnlyList<string> Disagreements { get; private set; } = [];

    public void Run(IReadOnlyList<NetworkSpec> networks, IReadOnlyList<DeviceChoice> choices)
    {
        var results = new List<Measurement>();
        var disagreements = new List<string>();
        using var devices = new OpenDevices(log);
        using var file = new ResultLog(settings.OutputDirectory, $"cnntrain-{string.Join('-', settings.Devices)}.jsonl");
        output.WriteLine(Header);
        foreach (NetworkSpec spec in networks)
        {
            int images = settings.Images ?? suite.EpochImages;
            Dataset epoch = SuiteData.Create(spec, images, suite.Seed, settings.DataDirectory);
            foreach (int batch in settings.Batches ?? spec.Batches)
            {
                var point = new List<Measurement>();
                foreach (DeviceChoice choice in choices)
                {
                    if (devices.Get(choice) is not IComputeDevice device)
                    {
                        continue;
                    }

                    Measurement m;
                    try
                    {
                        m = EpochProtocol.Run(spec, suite, epoch, batch, choice, device, settings, log);
                    }
                    catch (Exception e) when (e is InvalidOperationException or ArgumentException or OutOfMemoryException or Devices.Cuda.CudaException)
                    {
                        m = Measurement.For(choice, device, spec.Name, batch, images) with { Error = $"{e.GetType().Name}: {e.Message}" };
                        log.WriteLine($"  {spec.Name} batch {batch} {choice.Label}: failed: {m.Error}");
                    }

                    point.Add(m);
                    file.Write(m, MeasurementJson.Default.Measurement);
                    output.WriteLine(Line(m, choice));
                }

                string[] digests = [.. point.Where(m => m.Error is null).Select(m => m.CheckDigest!).Distinct()];
                if (digests.Length > 1)
                {
                    string what = $"{spec.Name} batch {batch}: the devices' check runs ended with {digests.Length} different parameter digests";
                    disagreements.Add(what);
                    output.WriteLine($"  MISMATCH: {what}");
                }

                results.AddRange(point);
            }
        }

        Results = results;
        Disagreements = disagreements;
        if (file.Path is not null)
        {
            output.WriteLine($"results written to {file.Path}");
        }
    }

    private static string Line(Measurement m, DeviceChoice choice) => m.Error is not null
        ? $"{m.Network,-16} {m.Batch,5}  {choice.Label,-15}  failed: {m.Error}"
        : string.Create(
            CultureInfo.InvariantCulture,
            $"{m.Network,-16} {m.Batch,5}  {choice.Label,-15} {m.TimedImages,6}{(m.Scaled ? "*" : " ")} {m.WarmupSeconds,9:F3} {m.BestSeconds,9:F4} {m.MedianSeconds,9:F4} {m.ImagesPerSecond,10:F0} {Mib(m.PeakDeviceBytes),8} {Mib(m.PeakHostBytes),9}  {m.CheckDigest![..12]}");

    private static string Mib(long? bytes) => bytes is long b ? (b / 1048576.0).ToString("F0", CultureInfo.InvariantCulture) : "-";
}
