using CnnTrain.Data;
using Microsoft.Extensions.Logging;

namespace CnnTrain.Training;

/// <summary>The end of each epoch: the <see cref="EpochCompleted"/> event, early stopping, and why a <see cref="Fit"/> call ended.</summary>
public sealed partial class Trainer
{
    /// <summary>
    /// Raised on the calling thread after each epoch of <see cref="Fit"/>, once the epoch is in <see cref="History"/>, the
    /// network holds its parameters and its test evaluation is done, and before early stopping is checked. A handler
    /// may set <see cref="EpochCompletedEventArgs.Stop"/> to end the call after this epoch. An exception from a handler
    /// propagates out of <see cref="Fit"/>; the epoch stays completed.
    /// </summary>
    public event EventHandler<EpochCompletedEventArgs>? EpochCompleted;

    /// <summary>Why the last <see cref="Fit"/> call ended; <see cref="TrainingStopReason.None"/> while one runs or after one was cancelled or threw.</summary>
    public TrainingStopReason StopReason { get; private set; }

    private void CheckEarlyStoppingHasTest(Dataset? test)
    {
        if (Options.EarlyStopping is not null && test is null)
        {
            throw new ArgumentException($"{nameof(TrainerOptions.EarlyStopping)} watches the test set's metrics; pass a test set to Fit.", nameof(test));
        }
    }

    // Returns whether the Fit call ends after this epoch, with StopReason set to why.
    private bool StopsAfter(EpochMetrics metrics, int finalEpoch)
    {
        var args = new EpochCompletedEventArgs(metrics, finalEpoch);
        EpochCompleted?.Invoke(this, args);
        if (args.Stop)
        {
            StopReason = TrainingStopReason.StopRequested;
            LogStopRequested(metrics.Epoch);
            return true;
        }

        if (Options.EarlyStopping is { } rule)
        {
            (int bestEpoch, double best, int without) = rule.Assess(_history);
            if (without >= rule.Patience)
            {
                StopReason = TrainingStopReason.EarlyStopping;
                LogEarlyStop(metrics.Epoch, rule.Metric, without, best, bestEpoch);
                return true;
            }
        }

        return false;
    }

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "Stopping after epoch {Epoch}: an EpochCompleted handler asked to stop")]
    private partial void LogStopRequested(int epoch);

    [LoggerMessage(EventId = 4, Level = LogLevel.Information,
        Message = "Early stopping after epoch {Epoch}: {Metric} has not improved for {Epochs} epochs (best {Best} at epoch {BestEpoch})")]
    private partial void LogEarlyStop(int epoch, EarlyStoppingMetric metric, int epochs, double best, int bestEpoch);
}
