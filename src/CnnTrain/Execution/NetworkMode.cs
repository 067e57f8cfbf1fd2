namespace CnnTrain.Execution;

/// <summary>
/// Whether a network's stages queue their training or their evaluation computation: dropout drops and batch
/// normalisation uses the batch's statistics only in <see cref="Training"/>. The trainer sets it before it records a
/// pass; a recorded program keeps the mode it was recorded in.
/// </summary>
internal enum NetworkMode
{
    /// <summary>Fit's steps: dropout masks apply, batch normalisation uses and updates batch statistics.</summary>
    Training = 0,

    /// <summary>Evaluate, Forward and Predict: dropout is the identity, batch normalisation uses its running statistics.</summary>
    Evaluation = 1,
}
