using CnnTrain.Benchmark.Suite;
using CnnTrain.Data;
using CnnTrain.Devices;
using CnnTrain.Optimizers;
using CnnTrain.Training;

namespace CnnTrain.Benchmark.Measure;

/// <summary>
/// How one suite point is timed on one device, the same way in every implementation (peers/suite.py mirrors it):
/// <list type="number">
/// <item>a check run of <see cref="BenchmarkSettings.CheckSteps"/> steps from the seeded network, whose
/// parameter digest every CnnTrain device must reproduce; its time per image also decides the slice (when it
/// was cheap and suggests slicing, it runs once more, since the first run also recorded the programs);</item>
/// <item>the epoch, or for a device slower than the budget a slice of whole batches from its start, timed
/// on the same trainer: one warm-up epoch (skipped when the slice is the check run's data, which already
/// warmed up), then <see cref="BenchmarkSettings.Epochs"/> timed epochs (at least two; more stop once the
/// timed epochs have taken four budgets), each scaled to the whole epoch.</item>
/// </list>
/// </summary>
internal static class EpochProtocol
{
    public static Measurement Run(
        NetworkSpec spec, SuiteSpec suite, Dataset epoch, int batch, DeviceChoice choice, IComputeDevice device, BenchmarkSettings settings,
        TextWriter log)
    {
        Network network = SuiteNetworks.Create(spec, suite.Seed);
        var options = new TrainerOptions { BatchSize = batch, LearningRate = spec.LearningRate, Optimizer = new Sgd(suite.Momentum), Seed = suite.Seed };
        HostMemory.ResetPeak();
        device.ResetPeakAllocatedBytes();
        using var trainer = new Trainer(network, device, options);

        int checkImages = Math.Min(epoch.Count, settings.CheckSteps * batch);
        Dataset check = checkImages == epoch.Count ? epoch : epoch.Slice(0, checkImages);
        EpochMetrics probe = trainer.Fit(check)[0];
        string checkDigest = network.GetParameterDigest();
        double warmup = probe.TrainTime.TotalSeconds;

        int timedImages = SliceFor(probe.TrainTime.TotalSeconds / checkImages, batch, epoch.Count, settings.BudgetSeconds);
        if (timedImages < epoch.Count && probe.TrainTime.TotalSeconds < settings.BudgetSeconds / 2)
        {
            // The first run recorded the programs; a cheap second one says what the steps cost.
            probe = trainer.Fit(check)[0];
            warmup += probe.TrainTime.TotalSeconds;
            timedImages = SliceFor(probe.TrainTime.TotalSeconds / checkImages, batch, epoch.Count, settings.BudgetSeconds);
        }

        Dataset data = timedImages == epoch.Count ? epoch : timedImages == checkImages ? check : epoch.Slice(0, timedImages);
        if (!ReferenceEquals(data, check))
        {
            warmup += trainer.Fit(data)[0].TrainTime.TotalSeconds;
        }

        double scale = (double)epoch.Count / timedImages;
        bool slow = warmup * scale > 10 * settings.BudgetSeconds;
        var seconds = new List<double>();
        double loss = double.NaN;
        double spent = 0;
        for (int e = 0; e < settings.Epochs && (e < 2 || spent < 4 * settings.BudgetSeconds); e++)
        {
            EpochMetrics m = trainer.Fit(data)[0];
            seconds.Add(m.TrainTime.TotalSeconds * scale);
            spent += m.TrainTime.TotalSeconds;
            loss = m.MeanLoss;
            if (slow)
            {
                log.WriteLine($"    {spec.Name} batch {batch} {choice.Label}: timed epoch {e + 1} took {m.TrainTime.TotalSeconds:F1} s on {timedImages} images");
            }
        }

        double best = seconds.Min();
        return Measurement.For(choice, device, spec.Name, batch, epoch.Count) with
        {
            TimedImages = timedImages,
            Scaled = timedImages != epoch.Count,
            WarmupSeconds = warmup,
            EpochSeconds = seconds,
            BestSeconds = best,
            MedianSeconds = Measurement.Median(seconds),
            ImagesPerSecond = epoch.Count / best,
            PeakDeviceBytes = device.PeakAllocatedBytes,
            PeakHostBytes = HostMemory.PeakBytes(),
            CheckDigest = checkDigest,
            FinalDigest = network.GetParameterDigest(),
            FinalLoss = loss,
        };
    }

    /// <summary>The images to time: the whole epoch when it fits the budget, else the whole batches that do (at least one).</summary>
    public static int SliceFor(double secondsPerImage, int batch, int epochImages, double budgetSeconds)
    {
        if (secondsPerImage * epochImages <= budgetSeconds)
        {
            return epochImages;
        }

        double batches = Math.Floor(budgetSeconds / (secondsPerImage * batch));
        return (int)Math.Clamp(batches * batch, Math.Min(batch, epochImages), epochImages);
    }
}
