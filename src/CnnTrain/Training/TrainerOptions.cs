using CnnTrain.Optimizers;

namespace CnnTrain.Training;

/// <summary>Hyperparameters of a <see cref="Trainer"/>, checked when the trainer is created.</summary>
public sealed record TrainerOptions
{
    /// <summary>Samples per SGD step; the last step of an epoch takes what remains. Default 100.</summary>
    public int BatchSize { get; init; } = 100;

    /// <summary>The learning rate η (before <see cref="Schedule"/>); positive and finite. Default 0.01.</summary>
    public float LearningRate { get; init; } = 0.01f;

    /// <summary>
    /// How each step's gradients update the parameters, with the optimizer's hyperparameters: <see cref="Sgd"/> by
    /// default (momentum 0.9, no weight decay). Every device gives the same bits.
    /// </summary>
    public Optimizer Optimizer { get; init; } = new Sgd();

    /// <summary>
    /// How the learning rate changes from <see cref="LearningRate"/> over epochs and steps, computed on the host and
    /// uploaded per step. Default <see cref="LearningRateSchedule.Constant"/>.
    /// </summary>
    public LearningRateSchedule Schedule { get; init; } = LearningRateSchedule.Constant;

    /// <summary>
    /// Ends a Fit call when the watched metric stops improving; null (the default) for never. Needs the set its
    /// <see cref="EarlyStopping.Metric"/> reads: a validation set for the validation metrics, a test set for the test metrics.
    /// </summary>
    public EarlyStopping? EarlyStopping { get; init; }

    /// <summary>
    /// The share of the training set held out as the validation set when <see cref="Trainer.Fit(TrainingSets, int, IProgress{TrainingProgress}?, CancellationToken)"/>
    /// is given none, split by <see cref="Data.Dataset.Split"/> with <see cref="Seed"/>; in [0, 1), 0 (the default) for no split.
    /// </summary>
    public double ValidationFraction { get; init; }

    /// <summary>
    /// Random crops and flips applied on the host to the training samples at the start of every epoch, drawn from
    /// <see cref="Seed"/> and the epoch (see <see cref="Data.Augmentation"/>); null (the default) for none. The
    /// validation and test sets are never augmented.
    /// </summary>
    public Data.Augmentation? Augmentation { get; init; }

    /// <summary>Seed of the per-epoch shuffles and augmentation, and of the validation split. Default 0.</summary>
    public int Seed { get; init; }

    /// <summary>Whether each epoch visits the training set in a seeded random order (else in file order). Default true.</summary>
    public bool Shuffle { get; init; } = true;

    /// <summary>
    /// How many times per epoch progress is reported, from 1 to <see cref="MaxProgressReportsPerEpoch"/>; also how many
    /// pieces an epoch is queued in, and how often the losses are checked for divergence (at most once a step). Default 20.
    /// </summary>
    public int ProgressReportsPerEpoch { get; init; } = 20;

    /// <summary>
    /// Whether a step whose loss is not finite (a bad sample, say) is skipped — its update leaves the parameters and the
    /// optimizer's state as they were, decided on the device — instead of ending <c>Fit</c> with a
    /// <see cref="TrainingDivergedException"/>. <see cref="EpochMetrics.SkippedSteps"/> counts them. An update that
    /// overflows the parameters (a learning rate far too large) still ends training at the epoch's end. Default false.
    /// </summary>
    public bool SkipNonFiniteSteps { get; init; }

    /// <summary>The most progress reports per epoch <see cref="Validate"/> accepts.</summary>
    public const int MaxProgressReportsPerEpoch = 1_000_000;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> (<see cref="ArgumentNullException"/> for a null schedule) naming the first bad value.</summary>
    public void Validate()
    {
        if (BatchSize < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, "The batch size must be at least 1.");
        }

        if (!float.IsFinite(LearningRate) || LearningRate <= 0f)
        {
            throw new ArgumentOutOfRangeException(nameof(LearningRate), LearningRate, "The learning rate must be positive and finite.");
        }

        if (Optimizer is null)
        {
            throw new ArgumentNullException(nameof(Optimizer), "Choose an optimizer, e.g. new Sgd().");
        }

        if (Schedule is null)
        {
            throw new ArgumentNullException(nameof(Schedule), "Use LearningRateSchedule.Constant for a fixed learning rate.");
        }

        if (Schedule.ProblemWith(LearningRate) is string problem)
        {
            throw new ArgumentOutOfRangeException(nameof(Schedule), Schedule, problem);
        }

        if (!(ValidationFraction >= 0 && ValidationFraction < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(ValidationFraction), ValidationFraction, "The validation fraction must lie in [0, 1).");
        }

        if (ProgressReportsPerEpoch is < 1 or > MaxProgressReportsPerEpoch)
        {
            throw new ArgumentOutOfRangeException(
                nameof(ProgressReportsPerEpoch), ProgressReportsPerEpoch, $"Report progress from 1 to {MaxProgressReportsPerEpoch} times per epoch.");
        }
    }
}
