namespace CnnTrain.Training;

/// <summary>The configured learning rate at every step; see <see cref="LearningRateSchedule.Constant"/>.</summary>
public sealed record ConstantSchedule : LearningRateSchedule
{
    /// <inheritdoc />
    public override string ToString() => "constant";

    /// <inheritdoc />
    protected override double Compute(int epoch, int step, int stepsPerEpoch, double baseRate) => baseRate;
}
