namespace CnnTrain.Training;

/// <summary>Hyperparameters of a <see cref="Trainer"/>, checked when the trainer is created.</summary>
public sealed record TrainerOptions
{
    /// <summary>Samples per SGD step; the last step of an epoch takes what remains. Default 100.</summary>
    public int BatchSize { get; init; } = 100;

    /// <summary>SGD learning rate η; positive and finite. Default 0.01.</summary>
    public float LearningRate { get; init; } = 0.01f;

    /// <summary>Momentum μ in [0, 1). Default 0.9.</summary>
    public float Momentum { get; init; } = 0.9f;

    /// <summary>L2 weight decay λ, non-negative. Default 0.</summary>
    public float WeightDecay { get; init; }

    /// <summary>Seed of the per-epoch shuffles. Default 0.</summary>
    public int Seed { get; init; }

    /// <summary>Whether each epoch visits the training set in a seeded random order (else in file order). Default true.</summary>
    public bool Shuffle { get; init; } = true;

    /// <summary>How many times per epoch progress is reported; also how many pieces an epoch is queued in. Default 20.</summary>
    public int ProgressReportsPerEpoch { get; init; } = 20;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first bad value.</summary>
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

        if (!float.IsFinite(Momentum) || Momentum < 0f || Momentum >= 1f)
        {
            throw new ArgumentOutOfRangeException(nameof(Momentum), Momentum, "Momentum must lie in [0, 1).");
        }

        if (!float.IsFinite(WeightDecay) || WeightDecay < 0f)
        {
            throw new ArgumentOutOfRangeException(nameof(WeightDecay), WeightDecay, "Weight decay must be non-negative and finite.");
        }

        if (ProgressReportsPerEpoch < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(ProgressReportsPerEpoch), ProgressReportsPerEpoch, "Report progress at least once per epoch.");
        }
    }
}
