namespace CnnTrain.Training;

/// <summary>The data of <see cref="Trainer.EpochCompleted"/>: one finished epoch, and a way to end training after it.</summary>
/// <param name="metrics">The epoch's metrics, test evaluation included when a test set was given.</param>
/// <param name="finalEpoch">The epoch at which the running <c>Fit</c> call would end.</param>
public sealed class EpochCompletedEventArgs(EpochMetrics metrics, int finalEpoch) : EventArgs
{
    /// <summary>The epoch's metrics; it is already in <see cref="Trainer.History"/> and the network holds its parameters.</summary>
    public EpochMetrics Metrics { get; } = metrics ?? throw new ArgumentNullException(nameof(metrics));

    /// <summary>The epoch at which the running <c>Fit</c> call would end.</summary>
    public int FinalEpoch { get; } = finalEpoch;

    /// <summary>
    /// Set to true to end the <c>Fit</c> call after this epoch, with
    /// <see cref="Trainer.StopReason"/> <see cref="TrainingStopReason.StopRequested"/>.
    /// </summary>
    public bool Stop { get; set; }
}
