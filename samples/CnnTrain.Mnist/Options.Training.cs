namespace CnnTrain.Mnist;

/// <summary>The options for the learning-rate schedule, weight decay, early stopping and the after-training outputs.</summary>
internal sealed partial record Options
{
    public ScheduleOption Schedule { get; init; } = ScheduleOption.Constant;

    public float WeightDecay { get; init; }

    /// <summary>Stops when the test loss has not improved for this many epochs; null for never.</summary>
    public int? Patience { get; init; }

    /// <summary>A PNG file for the loss and accuracy chart; null for none.</summary>
    public string? PlotPath { get; init; }

    /// <summary>Whether to print the test set's confusion matrix after training.</summary>
    public bool Confusion { get; init; }

    private void ValidateTraining()
    {
        if (Schedule.Kind == ScheduleKind.Cosine && Schedule.Minimum > LearningRate)
        {
            throw new OptionException($"--schedule cosine minimum must not exceed --lr {Format(LearningRate)} (got {Schedule})");
        }

        if (!(WeightDecay >= 0f) || !float.IsFinite(WeightDecay))
        {
            throw new OptionException($"--weight-decay must be at least 0 (got {Format(WeightDecay)})");
        }

        if (Patience is int patience)
        {
            AtLeast("--patience", patience, 1);
        }

        CheckOutputFile("--plot", PlotPath);
    }
}
