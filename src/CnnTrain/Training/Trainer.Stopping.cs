using CnnTrain.Data;
using Microsoft.Extensions.Logging;

namespace CnnTrain.Training;

/// <summary>The end of each epoch: the <see cref="EpochCompleted"/> event, early stopping, and why a <c>Fit</c> call ended.</summary>
public sealed partial class Trainer
{
    /// <summary>
    /// Raised on the calling thread after each epoch of <c>Fit</c>, once the epoch is in <see cref="History"/>, the
    /// network holds its parameters and its test evaluation is done, and before early stopping is checked. A handler
    /// may set <see cref="EpochCompletedEventArgs.Stop"/> to end the call after this epoch. An exception from a handler
    /// propagates out of <c>Fit</c>; the epoch stays completed.
    /// </summary>
    public event EventHandler<EpochCompletedEventArgs>? EpochCompleted;

    /// <summary>Why the last <c>Fit</c> call ended; <see cref="TrainingStopReason.None"/> while one runs or after one was cancelled or threw.</summary>
    public TrainingStopReason StopReason { get; private set; }

    private float[][]? _bestValues; // the parameters of the best epoch this trainer saw, for EarlyStopping.RestoreBestWeights
    private int _bestEpoch;

    private void CheckEarlyStoppingHasItsSet(Dataset? validation, Dataset? test)
    {
        if (Options.EarlyStopping is not { } rule)
        {
            return;
        }

        if (rule.WatchesValidation && validation is null)
        {
            throw new ArgumentException(
                $"{nameof(TrainerOptions.EarlyStopping)} watches the validation set's {rule.Metric}; pass a validation set or set {nameof(TrainerOptions.ValidationFraction)}.",
                nameof(validation));
        }

        if (!rule.WatchesValidation && test is null)
        {
            throw new ArgumentException($"{nameof(TrainerOptions.EarlyStopping)} watches the test set's metrics; pass a test set to Fit.", nameof(test));
        }
    }

    // Returns whether the Fit call ends after this epoch, with StopReason set to why.
    private bool StopsAfter(EpochMetrics metrics, int finalEpoch)
    {
        (int BestEpoch, double Best, int Without)? assessed = Options.EarlyStopping?.Assess(_history);
        if (Options.EarlyStopping is { RestoreBestWeights: true } && assessed?.BestEpoch == metrics.Epoch)
        {
            KeepBestValues(metrics.Epoch);
        }

        var args = new EpochCompletedEventArgs(metrics, finalEpoch);
        EpochCompleted?.Invoke(this, args);
        if (args.Stop)
        {
            StopReason = TrainingStopReason.StopRequested;
            LogStopRequested(metrics.Epoch);
            return true;
        }

        if (Options.EarlyStopping is { } rule && assessed is (int bestEpoch, double best, int without) && without >= rule.Patience)
        {
            StopReason = TrainingStopReason.EarlyStopping;
            LogEarlyStop(metrics.Epoch, rule.Metric, without, best, bestEpoch);
            if (rule.RestoreBestWeights && _bestValues is not null && _bestEpoch == bestEpoch)
            {
                RestoreBestValues();
                LogRestored(bestEpoch);
            }

            return true;
        }

        return false;
    }

    private void KeepBestValues(int epoch)
    {
        _bestValues ??= [.. Network.Parameters.Select(p => new float[p.Count])];
        for (int i = 0; i < _bestValues.Length; i++)
        {
            Network.Parameters[i].Values.CopyTo(_bestValues[i], 0);
        }

        _bestEpoch = epoch;
    }

    private void RestoreBestValues()
    {
        for (int i = 0; i < _bestValues!.Length; i++)
        {
            _bestValues[i].CopyTo(Network.Parameters[i].Values, 0);
        }

        _network?.UploadParameters();
    }

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "Stopping after epoch {Epoch}: an EpochCompleted handler asked to stop")]
    private partial void LogStopRequested(int epoch);

    [LoggerMessage(EventId = 4, Level = LogLevel.Information,
        Message = "Early stopping after epoch {Epoch}: {Metric} has not improved for {Epochs} epochs (best {Best} at epoch {BestEpoch})")]
    private partial void LogEarlyStop(int epoch, EarlyStoppingMetric metric, int epochs, double best, int bestEpoch);

    [LoggerMessage(EventId = 11, Level = LogLevel.Information, Message = "Restored the parameters of epoch {BestEpoch}, the best")]
    private partial void LogRestored(int bestEpoch);
}
