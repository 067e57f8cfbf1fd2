using CnnTrain.Data;

namespace CnnTrain.Training;

/// <summary>
/// The datasets of a <see cref="Trainer.Fit(TrainingSets, int, IProgress{TrainingProgress}?, CancellationToken)"/> call: the
/// training set, an optional validation set that early stopping and the best-weights rule watch, and an optional test set
/// that is only evaluated. Without a validation set, <see cref="TrainerOptions.ValidationFraction"/> holds one out of the
/// training set.
/// </summary>
/// <param name="Train">The samples the network learns from.</param>
/// <param name="Validation">Evaluated after every epoch, for model selection; null for none (or a share of <paramref name="Train"/>).</param>
/// <param name="Test">Evaluated after every epoch, and never used to decide anything; null for none.</param>
public sealed record TrainingSets(Dataset Train, Dataset? Validation = null, Dataset? Test = null);
