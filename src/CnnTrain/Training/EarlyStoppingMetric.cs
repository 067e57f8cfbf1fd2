namespace CnnTrain.Training;

/// <summary>The test-set metric that <see cref="EarlyStopping"/> watches.</summary>
public enum EarlyStoppingMetric
{
    /// <summary>Mean test loss; lower is better.</summary>
    TestLoss,

    /// <summary>Test accuracy; higher is better.</summary>
    TestAccuracy,
}
