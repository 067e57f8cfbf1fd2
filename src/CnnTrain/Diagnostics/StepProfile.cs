namespace CnnTrain.Diagnostics;

/// <summary>Where the time of one training step goes on one device (see <see cref="StepProfiler"/>).</summary>
/// <param name="Device">The device's name.</param>
/// <param name="BatchSize">Samples per step.</param>
/// <param name="Operations">The step's operations in the order a step queues them.</param>
/// <param name="FloorMicroseconds">The time of the smallest operation the device can queue: its per-operation floor.</param>
public sealed record StepProfile(string Device, int BatchSize, IReadOnlyList<OperationTiming> Operations, double FloorMicroseconds)
{
    /// <summary>The sum of the operations' times: one step as the device runs it inside a recorded epoch.</summary>
    public double StepMicroseconds => Operations.Sum(o => o.Microseconds);

    /// <summary>The step time scaled to an epoch of <paramref name="images"/> images.</summary>
    public double EpochSeconds(int images) => StepMicroseconds * images / BatchSize / 1e6;
}
