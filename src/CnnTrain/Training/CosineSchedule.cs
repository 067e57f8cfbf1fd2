using System.Globalization;

namespace CnnTrain.Training;

/// <summary>
/// Cosine annealing: <c>rate = float(min + (baseRate − min) × (1 + cos(π t / T)) / 2)</c> for <c>t &lt; T</c>, and
/// <c>float(min)</c> from <c>t = T</c> on, where <c>t</c> counts epochs (or steps, over the trainer's life) from 0 and
/// <c>T</c> is <see cref="Length"/>. Everything is in double with a cosine of our own (docs/numerics.md), rounded to
/// float once. See <see cref="LearningRateSchedule.Cosine"/> and <see cref="LearningRateSchedule.CosineOverSteps"/>.
/// </summary>
public sealed record CosineSchedule : LearningRateSchedule
{
    /// <summary>Creates the schedule.</summary>
    /// <param name="length">The annealing period, in epochs or steps; at least 1.</param>
    /// <param name="minimumRate">The rate the curve ends at; finite and at least 0.</param>
    /// <param name="perStep">Whether <paramref name="length"/> counts steps (the rate changes every step) rather than epochs.</param>
    /// <exception cref="ArgumentOutOfRangeException">A value out of its range; the message names it.</exception>
    public CosineSchedule(int length, double minimumRate = 0, bool perStep = false)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(length, 1);
        if (!double.IsFinite(minimumRate) || minimumRate < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(minimumRate), minimumRate, "The minimum rate must be non-negative and finite.");
        }

        Length = length;
        MinimumRate = minimumRate;
        PerStep = perStep;
    }

    /// <summary>The annealing period, in epochs, or in steps when <see cref="PerStep"/>.</summary>
    public int Length { get; }

    /// <summary>The rate the curve ends at.</summary>
    public double MinimumRate { get; }

    /// <summary>Whether the rate changes every step (else once per epoch).</summary>
    public bool PerStep { get; }

    /// <summary>Refuses a minimum above <paramref name="baseRate"/>, which would anneal upwards.</summary>
    /// <param name="baseRate">The configured learning rate.</param>
    protected override string? DescribeProblem(float baseRate) => MinimumRate > baseRate
        ? string.Create(CultureInfo.InvariantCulture, $"The cosine schedule's minimum rate {MinimumRate:R} exceeds the learning rate {baseRate:R}.")
        : null;

    /// <inheritdoc />
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture, $"cosine({Length} {(PerStep ? "steps" : "epochs")}, minimum {MinimumRate:R})");

    /// <inheritdoc />
    protected override double Compute(int epoch, int step, int stepsPerEpoch, double baseRate)
    {
        long t = PerStep ? ((long)epoch * stepsPerEpoch) + step : epoch;
        if (t >= Length)
        {
            return MinimumRate;
        }

        return MinimumRate + ((baseRate - MinimumRate) * ScheduleMath.HalfCosine((double)t / Length));
    }
}
