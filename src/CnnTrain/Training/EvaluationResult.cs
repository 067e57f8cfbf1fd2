namespace CnnTrain.Training;

/// <summary>A network's loss and accuracy on a labelled set.</summary>
/// <param name="MeanLoss">Mean softmax cross-entropy.</param>
/// <param name="Accuracy">Fraction of samples whose predicted class is the label.</param>
/// <param name="Predictions">The predicted class of each sample, in the set's order.</param>
/// <param name="Time">Wall time of the evaluation.</param>
public sealed record EvaluationResult(double MeanLoss, double Accuracy, IReadOnlyList<int> Predictions, TimeSpan Time)
{
    /// <summary>The number of samples evaluated.</summary>
    public int Count => Predictions.Count;
}
