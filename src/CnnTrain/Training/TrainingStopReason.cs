namespace CnnTrain.Training;

/// <summary>Why the last <c>Fit</c> call ended; see <see cref="Trainer.StopReason"/>.</summary>
public enum TrainingStopReason
{
    /// <summary>No call has ended normally yet: none ran, or the last one was cancelled or threw.</summary>
    None,

    /// <summary>Every epoch the call asked for was run.</summary>
    Finished,

    /// <summary>
    /// <see cref="TrainerOptions.EarlyStopping"/> found that the watched metric stopped improving, possibly on the call's
    /// last epoch, so that a caller training one epoch per call learns it too.
    /// </summary>
    EarlyStopping,

    /// <summary>
    /// A <see cref="Trainer.EpochCompleted"/> handler set <see cref="EpochCompletedEventArgs.Stop"/>, or the caller left the
    /// enumeration of <see cref="Trainer.FitEpochs(Data.Dataset, Data.Dataset?, int, IProgress{TrainingProgress}?, CancellationToken)"/>
    /// before its last epoch.
    /// </summary>
    StopRequested,
}
