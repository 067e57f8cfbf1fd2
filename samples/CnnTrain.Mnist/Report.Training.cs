namespace CnnTrain.Mnist;

/// <summary>How the run ended and what the final network does on the test set.</summary>
internal sealed partial record Report
{
    /// <summary>Whether early stopping (<c>--patience</c>) ended the run before its last epoch.</summary>
    public bool StoppedEarly { get; init; }

    /// <summary>The final network's test-set counts: rows are true labels, columns predicted classes.</summary>
    public IReadOnlyList<IReadOnlyList<int>>? ConfusionMatrix { get; init; }
}
