using System.Globalization;

namespace CnnTrain.Training;

/// <summary>
/// Ends training once a test-set metric has not improved for <see cref="Patience"/> epochs in a row. The metric
/// is read from the trainer's <see cref="Trainer.History"/> (every epoch that has a test evaluation, over the
/// trainer's life, so training one epoch per <see cref="Trainer.Fit"/> call stops just as one long call does).
/// An epoch improves on the best so far when its test loss is below <c>best − MinDelta</c>, or its accuracy is
/// above <c>best + MinDelta</c>; a NaN loss never improves. The network keeps the last epoch's parameters.
/// </summary>
public sealed record EarlyStopping
{
    /// <summary>Creates the rule.</summary>
    /// <param name="patience">Epochs without improvement after which training stops; at least 1.</param>
    /// <param name="minDelta">The least change that counts as an improvement; non-negative and finite.</param>
    /// <param name="metric">The metric to watch.</param>
    /// <exception cref="ArgumentOutOfRangeException">A value out of its range; the message names it.</exception>
    public EarlyStopping(int patience, double minDelta = 0, EarlyStoppingMetric metric = EarlyStoppingMetric.TestLoss)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(patience, 1);
        if (!double.IsFinite(minDelta) || minDelta < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(minDelta), minDelta, "The minimum improvement must be non-negative and finite.");
        }

        if (!Enum.IsDefined(metric))
        {
            throw new ArgumentOutOfRangeException(nameof(metric), metric, "Unknown early-stopping metric.");
        }

        Patience = patience;
        MinDelta = minDelta;
        Metric = metric;
    }

    /// <summary>Epochs without improvement after which training stops.</summary>
    public int Patience { get; }

    /// <summary>The least change that counts as an improvement.</summary>
    public double MinDelta { get; }

    /// <summary>The metric watched.</summary>
    public EarlyStoppingMetric Metric { get; }

    /// <summary>
    /// The best epoch so far and how many evaluated epochs have followed it without improving, over
    /// <paramref name="history"/>; the best epoch is 0 when no epoch has improved on the start.
    /// </summary>
    /// <param name="history">Epoch metrics in order, e.g. <see cref="Trainer.History"/>; epochs without a test evaluation are skipped.</param>
    public (int BestEpoch, double BestValue, int EpochsWithoutImprovement) Assess(IEnumerable<EpochMetrics> history)
    {
        ArgumentNullException.ThrowIfNull(history);
        bool lowerIsBetter = Metric == EarlyStoppingMetric.TestLoss;
        double best = lowerIsBetter ? double.PositiveInfinity : double.NegativeInfinity;
        int bestEpoch = 0;
        int without = 0;
        foreach (EpochMetrics m in history)
        {
            if (m.Test is not { } test)
            {
                continue;
            }

            double value = lowerIsBetter ? test.MeanLoss : test.Accuracy;
            bool improved = lowerIsBetter ? value < best - MinDelta : value > best + MinDelta;
            if (improved)
            {
                (best, bestEpoch, without) = (value, m.Epoch, 0);
            }
            else
            {
                without++;
            }
        }

        return (bestEpoch, best, without);
    }

    /// <summary>Whether training should stop after the last epoch of <paramref name="history"/>.</summary>
    public bool ShouldStop(IEnumerable<EpochMetrics> history) => Assess(history).EpochsWithoutImprovement >= Patience;

    /// <inheritdoc />
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture, $"early stopping on {(Metric == EarlyStoppingMetric.TestLoss ? "test loss" : "test accuracy")}, patience {Patience}, min delta {MinDelta:R}");
}
