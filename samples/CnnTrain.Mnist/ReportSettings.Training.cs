namespace CnnTrain.Mnist;

/// <summary>The settings of the learning-rate schedule, weight decay and early stopping.</summary>
internal sealed partial record ReportSettings
{
    /// <summary>The <c>--schedule</c> value, as it would be written on the command line.</summary>
    public string Schedule { get; init; } = "constant";

    public float WeightDecay { get; init; }

    /// <summary>The <c>--patience</c> of early stopping on the test loss; null when off.</summary>
    public int? Patience { get; init; }
}
