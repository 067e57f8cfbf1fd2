using System.Globalization;

namespace CnnTrain.Training;

/// <summary>
/// Ends training once a validation (or test) metric has not improved for <see cref="Patience"/> epochs in a row. The
/// metric is read from the trainer's <see cref="Trainer.History"/> (every epoch that has an evaluation of the watched
/// set, over the trainer's life, so training one epoch per Fit call stops just as one long call does).
/// An epoch improves on the best so far when its loss is below <c>best − MinDelta</c>, or its accuracy is
/// above <c>best + MinDelta</c>; a NaN loss never improves. The network keeps the last epoch's parameters, or the
/// best epoch's with <see cref="RestoreBestWeights"/>.
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
    /// Whether stopping early puts back the parameters of the best epoch (that of <see cref="Assess"/>) instead of
    /// keeping the last epoch's, as Keras' <c>restore_best_weights</c> does. The trainer keeps a host copy of the best
    /// parameters as it trains; the optimizer's state stays the last epoch's. A best epoch from before a resumed
    /// checkpoint has no copy, and the last epoch's parameters stay. Default false.
    /// </summary>
    public bool RestoreBestWeights { get; init; }

    /// <summary>Whether the metric reads the validation set (else the test set).</summary>
    public bool WatchesValidation => Metric is EarlyStoppingMetric.ValidationLoss or EarlyStoppingMetric.ValidationAccuracy;

    private bool LowerIsBetter => Metric is EarlyStoppingMetric.TestLoss or EarlyStoppingMetric.ValidationLoss;

    /// <summary>
    /// The best epoch so far and how many evaluated epochs have followed it without improving, over
    /// <paramref name="history"/>; the best epoch is 0 when no epoch has improved on the start.
    /// </summary>
    /// <param name="history">Epoch metrics in order, e.g. <see cref="Trainer.History"/>; epochs without an evaluation of the watched set are skipped.</param>
    public (int BestEpoch, double BestValue, int EpochsWithoutImprovement) Assess(IEnumerable<EpochMetrics> history)
    {
        ArgumentNullException.ThrowIfNull(history);
        bool lowerIsBetter = LowerIsBetter;
        double best = lowerIsBetter ? double.PositiveInfinity : double.NegativeInfinity;
        int bestEpoch = 0;
        int without = 0;
        foreach (EpochMetrics m in history)
        {
            if ((WatchesValidation ? m.Validation : m.Test) is not { } watched)
            {
                continue;
            }

            double value = lowerIsBetter ? watched.MeanLoss : watched.Accuracy;
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
        CultureInfo.InvariantCulture,
        $"early stopping on {(WatchesValidation ? "validation" : "test")} {(LowerIsBetter ? "loss" : "accuracy")}, patience {Patience}, min delta {MinDelta:R}{(RestoreBestWeights ? ", restoring the best weights" : string.Empty)}");
}
