using System.Globalization;
using CnnTrain.Data;
using CnnTrain.Devices;
using CnnTrain.Mnist.Charts;
using CnnTrain.Optimizers;
using CnnTrain.Training;

namespace CnnTrain.Mnist;

/// <summary>What the app does with the run's settings and results beyond the per-epoch lines: early stopping, the confusion matrix, the chart.</summary>
internal static class AfterTraining
{
    public static TrainerOptions Configure(TrainerOptions trainerOptions, Options options) => trainerOptions with
    {
        Optimizer = new Sgd(options.Momentum, options.WeightDecay),
        Schedule = options.Schedule.Create(options.Epochs),
        // With a validation split, early stopping watches it and the test set is only reported.
        EarlyStopping = options.Patience is int patience
            ? new EarlyStopping(patience, metric: options.ValidationFraction is null ? EarlyStoppingMetric.TestLoss : EarlyStoppingMetric.ValidationLoss)
            : null,
        ValidationFraction = options.ValidationFraction ?? 0,
        Augmentation = options.Augment ? new Augmentation(Options.AugmentPadding, horizontalFlip: true) : null,
    };

    public static string EarlyStopLine(Trainer trainer)
    {
        EarlyStopping rule = trainer.Options.EarlyStopping!;
        (int bestEpoch, double best, int without) = rule.Assess(trainer.History);
        return string.Create(
            CultureInfo.InvariantCulture, $"early stopping: the {(rule.WatchesValidation ? "validation" : "test")} loss has not improved for {without} epoch{(without == 1 ? string.Empty : "s")} (best {best:F4} at epoch {bestEpoch})");
    }

    /// <summary>
    /// The final network's confusion matrix on <paramref name="test"/>: from the last epoch's evaluation, which ran on
    /// the final parameters, or from a fresh prediction when no epoch completed.
    /// </summary>
    public static int[][] Confusion(Network network, IComputeDevice device, Dataset test, IReadOnlyList<EpochMetrics> history)
    {
        IReadOnlyList<int> predictions = history.Count > 0 && history[^1].Test is { } evaluation
            ? evaluation.Predictions
            : network.Predict(device, test.Samples.Span);
        return ConfusionMatrix.Count(predictions, test.Labels.Span, network.Classes);
    }

    public static void WritePlot(string path, IReadOnlyList<EpochMetrics> history, AppConsole console)
    {
        if (history.Count == 0)
        {
            console.Error.WriteLine($"no epoch completed, so no chart was written to {path}");
            return;
        }

        try
        {
            TrainingChart.Write(path, history);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"could not write the chart {path}: {e.Message}", e);
        }

        console.Out.WriteLine($"chart written to {Path.GetFullPath(path)}");
    }

    public static Report Complete(Report report, Options options, int[][] confusion, bool stoppedEarly) => report with
    {
        Settings = report.Settings with { Schedule = options.Schedule.ToString(), WeightDecay = options.WeightDecay, Patience = options.Patience },
        StoppedEarly = stoppedEarly,
        ConfusionMatrix = confusion,
    };
}
