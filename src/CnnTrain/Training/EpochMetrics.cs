namespace CnnTrain.Training;

/// <summary>What one training epoch did.</summary>
/// <param name="Epoch">The epoch's number, from 1, counted over the trainer's life.</param>
/// <param name="MeanLoss">Mean training loss over the epoch's samples (each measured before its step's update).</param>
/// <param name="TrainAccuracy">Fraction of training samples predicted right during the epoch.</param>
/// <param name="StepLosses">Each step's mean loss, in step order; equal bits on every device.</param>
/// <param name="TrainTime">Wall time of the training pass, from shuffle to the metrics being read back.</param>
/// <param name="Test">The evaluation on the test set after the epoch, if one was given.</param>
public sealed record EpochMetrics(
    int Epoch, double MeanLoss, double TrainAccuracy, IReadOnlyList<float> StepLosses, TimeSpan TrainTime, EvaluationResult? Test)
{
    /// <summary>Training throughput in samples per second.</summary>
    public double SamplesPerSecond => StepLosses.Count == 0 || TrainTime <= TimeSpan.Zero ? 0 : Samples / TrainTime.TotalSeconds;

    /// <summary>The evaluation on the validation set after the epoch, if the run has one.</summary>
    public EvaluationResult? Validation { get; init; }

    /// <summary>The number of training samples in the epoch.</summary>
    public int Samples { get; init; }

    /// <summary>
    /// Steps whose loss was not finite and that left the parameters as they were (with
    /// <see cref="TrainerOptions.SkipNonFiniteSteps"/>; otherwise such a step ends training); <see cref="MeanLoss"/>
    /// averages the other steps' samples.
    /// </summary>
    public int SkippedSteps { get; init; }
}
