using System.Globalization;

namespace CnnTrain.Training;

/// <summary>
/// How the learning rate changes over training. The trainer asks for every step's rate on the host before
/// an epoch starts and uploads the epoch's rates to the device, so every device sees the same floats.
/// </summary>
/// <remarks>
/// A schedule computes in double and the result is rounded to float once, in <see cref="RateAt"/>. The
/// built-in schedules use only correctly rounded operations (<c>+ - * /</c>) in a fixed order, never the
/// platform's <c>Math.Pow</c> or <c>Math.Cos</c>, so a rate has the same bits on every machine
/// (docs/numerics.md, "Learning-rate schedules"). A custom schedule derives from this record and
/// implements <see cref="Compute"/>; it must be a pure function of its arguments.
/// </remarks>
public abstract record LearningRateSchedule
{
    /// <summary>Lets derived schedules be created.</summary>
    protected LearningRateSchedule()
    {
    }

    /// <summary>The learning rate of <see cref="TrainerOptions.LearningRate"/> at every step. The default.</summary>
    public static ConstantSchedule Constant { get; } = new();

    /// <summary>Step decay: the rate is multiplied by <paramref name="gamma"/> every <paramref name="everyEpochs"/> epochs.</summary>
    /// <param name="everyEpochs">Epochs between decays; at least 1.</param>
    /// <param name="gamma">The factor; above 0 and at most 1 (below 1 to decay; a factor above 1 is refused, as it would grow the rate until it overflows).</param>
    /// <exception cref="ArgumentOutOfRangeException">A value out of its range; the message names it.</exception>
    public static StepSchedule Step(int everyEpochs, double gamma) => new(everyEpochs, gamma);

    /// <summary>Cosine annealing per epoch, from the learning rate down to <paramref name="minimumRate"/> over <paramref name="epochs"/> epochs.</summary>
    /// <param name="epochs">The annealing period in epochs; at least 1. Later epochs stay at the minimum.</param>
    /// <param name="minimumRate">The rate the curve ends at; finite, at least 0 and at most the learning rate.</param>
    /// <exception cref="ArgumentOutOfRangeException">A value out of its range; the message names it.</exception>
    public static CosineSchedule Cosine(int epochs, double minimumRate = 0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(epochs, 1);
        return new(epochs, minimumRate, perStep: false);
    }

    /// <summary>Cosine annealing per step, from the learning rate down to <paramref name="minimumRate"/> over <paramref name="steps"/> steps.</summary>
    /// <param name="steps">The annealing period in steps, counted over the trainer's life; at least 1. Later steps stay at the minimum.</param>
    /// <param name="minimumRate">The rate the curve ends at; finite, at least 0 and at most the learning rate.</param>
    /// <exception cref="ArgumentOutOfRangeException">A value out of its range; the message names it.</exception>
    public static CosineSchedule CosineOverSteps(int steps, double minimumRate = 0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(steps, 1);
        return new(steps, minimumRate, perStep: true);
    }

    /// <summary>The learning rate of one step: <see cref="Compute"/> rounded once to float.</summary>
    /// <param name="epoch">The epoch, from 0, counted over the trainer's life (the number of epochs completed before it).</param>
    /// <param name="step">The step within the epoch, from 0.</param>
    /// <param name="stepsPerEpoch">Steps in an epoch; at least 1.</param>
    /// <param name="baseRate">The configured learning rate; positive and finite.</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument out of its range; the message names it.</exception>
    /// <exception cref="InvalidOperationException">The schedule gave a rate that is negative, infinite or NaN as a float.</exception>
    public float RateAt(int epoch, int step, int stepsPerEpoch, float baseRate)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(epoch);
        ArgumentOutOfRangeException.ThrowIfLessThan(stepsPerEpoch, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(step);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(step, stepsPerEpoch);
        if (!float.IsFinite(baseRate) || baseRate <= 0f)
        {
            throw new ArgumentOutOfRangeException(nameof(baseRate), baseRate, "The base learning rate must be positive and finite.");
        }

        double rate = Compute(epoch, step, stepsPerEpoch, baseRate);
        float rounded = (float)rate;
        if (!float.IsFinite(rounded) || rounded < 0f)
        {
            throw new InvalidOperationException(string.Create(
                CultureInfo.InvariantCulture,
                $"The schedule {this} gives the learning rate {rate:R} at epoch {epoch}, step {step}; a rate must be non-negative and finite as a float."));
        }

        // A zero rate always has the bits of +0, whichever way a schedule arrived at it.
        return rounded == 0f ? 0f : rounded;
    }

    /// <summary>
    /// Checks up front that the schedule can run from <paramref name="baseRate"/>; the trainer does the same when
    /// its options are validated.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The schedule does not fit the rate; the message says why.</exception>
    public void Validate(float baseRate)
    {
        if (DescribeProblem(baseRate) is string problem)
        {
            throw new ArgumentOutOfRangeException(nameof(baseRate), baseRate, problem);
        }
    }

    /// <summary>Why the schedule cannot run from <paramref name="baseRate"/>, or null when it can (the default).</summary>
    internal string? ProblemWith(float baseRate) => DescribeProblem(baseRate);

    /// <summary>Fills an epoch's rates, one per step.</summary>
    internal void Fill(Span<float> rates, int epoch, float baseRate)
    {
        for (int step = 0; step < rates.Length; step++)
        {
            rates[step] = RateAt(epoch, step, rates.Length, baseRate);
        }
    }

    /// <summary>The rate of one step in double; the arguments are already checked.</summary>
    /// <param name="epoch">The epoch, from 0, over the trainer's life.</param>
    /// <param name="step">The step within the epoch, from 0.</param>
    /// <param name="stepsPerEpoch">Steps in an epoch.</param>
    /// <param name="baseRate">The configured learning rate, exactly.</param>
    protected abstract double Compute(int epoch, int step, int stepsPerEpoch, double baseRate);

    /// <summary>Why the schedule cannot run from <paramref name="baseRate"/>, or null when it can. The default accepts every rate.</summary>
    /// <param name="baseRate">The configured learning rate.</param>
    protected virtual string? DescribeProblem(float baseRate) => null;

    /// <summary>A short description, e.g. <c>step(every 2 epochs, gamma 0.5)</c>.</summary>
    public abstract override string ToString();
}
