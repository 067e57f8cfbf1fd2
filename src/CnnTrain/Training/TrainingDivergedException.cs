namespace CnnTrain.Training;

/// <summary>
/// Training produced a loss or a parameter that is not finite. The trainer abandoned the epoch and kept the state of
/// the last completed one, so nothing diverged is saved; <see cref="TrainerOptions.SkipNonFiniteSteps"/> skips such
/// steps instead.
/// </summary>
public sealed class TrainingDivergedException : ArithmeticException
{
    /// <summary>Creates the exception for the step that diverged.</summary>
    /// <param name="epoch">The epoch, from 1, over the trainer's life.</param>
    /// <param name="step">The step within the epoch, from 1; 0 when only the parameters at the epoch's end show it.</param>
    /// <param name="what">What is not finite, e.g. "its loss is NaN".</param>
    public TrainingDivergedException(int epoch, int step, string what)
        : base($"Training diverged in epoch {epoch}{(step > 0 ? $" at step {step}" : string.Empty)}: {what}. " +
               "The trainer kept the state of the last completed epoch; lower the learning rate, or set TrainerOptions.SkipNonFiniteSteps to skip such steps.")
    {
        Epoch = epoch;
        Step = step;
    }

    /// <summary>Creates the exception with a generic message.</summary>
    public TrainingDivergedException()
        : base("Training diverged.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public TrainingDivergedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and an inner exception.</summary>
    public TrainingDivergedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The epoch that diverged, from 1.</summary>
    public int Epoch { get; }

    /// <summary>The first step of it whose loss was not finite, from 1; 0 when only the parameters showed it.</summary>
    public int Step { get; }
}
