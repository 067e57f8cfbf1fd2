using CnnTrain.Training;

namespace CnnTrain.Tests.Training;

/// <summary>A custom schedule for tests: the rate of each epoch from a function, the same for all its steps.</summary>
public sealed record FixedSchedule(Func<int, double> RateOfEpoch) : LearningRateSchedule
{
    public List<(int Epoch, int Step, int StepsPerEpoch)> Calls { get; } = [];

    public override string ToString() => "fixed";

    protected override double Compute(int epoch, int step, int stepsPerEpoch, double baseRate)
    {
        Calls.Add((epoch, step, stepsPerEpoch));
        return RateOfEpoch(epoch);
    }
}
