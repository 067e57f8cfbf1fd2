using CnnTrain.Training;

namespace CnnTrain.Persistence;

/// <summary>What a checkpoint holds: a trainer's state at the end of an epoch.</summary>
internal sealed record TrainingState(
    Network Network, int EpochsCompleted, long StepsCompleted, TrainerOptions Options, IReadOnlyList<float[][]> OptimizerState,
    IReadOnlyList<EpochMetrics> History);
