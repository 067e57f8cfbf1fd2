using System.Globalization;

namespace CnnTrain.Training;

/// <summary>
/// Step decay: <c>rate = float(baseRate × gamma^⌊epoch / everyEpochs⌋)</c> for a gamma in (0, 1], with the power formed by repeated
/// multiplication in double (1 × gamma × gamma …) and the product rounded to float once. See
/// <see cref="LearningRateSchedule.Step"/>.
/// </summary>
public sealed record StepSchedule : LearningRateSchedule
{
    /// <summary>Creates the schedule.</summary>
    /// <param name="everyEpochs">Epochs between decays; at least 1.</param>
    /// <param name="gamma">The factor; above 0 and at most 1. A factor above 1 would grow the rate without bound until it overflows the float learning rate.</param>
    /// <exception cref="ArgumentOutOfRangeException">A value out of its range; the message names it.</exception>
    public StepSchedule(int everyEpochs, double gamma)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(everyEpochs, 1);
        if (!(gamma > 0 && gamma <= 1))
        {
            throw new ArgumentOutOfRangeException(
                nameof(gamma), gamma, "Gamma must lie in (0, 1]: a step decay above 1 grows the rate until it overflows the float learning rate.");
        }

        EveryEpochs = everyEpochs;
        Gamma = gamma;
    }

    /// <summary>Epochs between decays.</summary>
    public int EveryEpochs { get; }

    /// <summary>The factor applied at each decay.</summary>
    public double Gamma { get; }

    /// <inheritdoc />
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"step(every {EveryEpochs} epochs, gamma {Gamma:R})");

    /// <inheritdoc />
    protected override double Compute(int epoch, int step, int stepsPerEpoch, double baseRate) =>
        baseRate * ScheduleMath.Power(Gamma, epoch / EveryEpochs);
}
