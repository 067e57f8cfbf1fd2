namespace CnnTrain.Training;

/// <summary>Progress within a <c>Fit</c> call.</summary>
/// <param name="Epoch">The epoch under way, from 1 (over the trainer's life).</param>
/// <param name="FinalEpoch">The epoch at which this call stops.</param>
/// <param name="Step">Steps of this epoch finished.</param>
/// <param name="StepsPerEpoch">Steps in an epoch.</param>
public sealed record TrainingProgress(int Epoch, int FinalEpoch, int Step, int StepsPerEpoch)
{
    /// <summary>The fraction of this epoch done, in [0, 1].</summary>
    public double EpochFraction => StepsPerEpoch == 0 ? 1 : (double)Step / StepsPerEpoch;
}
