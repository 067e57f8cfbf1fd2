namespace CnnTrain.Training;

/// <summary>
/// The metric that <see cref="EarlyStopping"/> watches. Prefer the validation metrics: a test set that decides when to
/// stop is no longer an unbiased estimate of the final network.
/// </summary>
public enum EarlyStoppingMetric
{
    /// <summary>Mean test loss; lower is better.</summary>
    TestLoss,

    /// <summary>Test accuracy; higher is better.</summary>
    TestAccuracy,

    /// <summary>Mean validation loss; lower is better.</summary>
    ValidationLoss,

    /// <summary>Validation accuracy; higher is better.</summary>
    ValidationAccuracy,
}
