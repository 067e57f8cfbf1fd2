namespace CnnTrain.Devices;

/// <summary>
/// One parameter tensor for <see cref="IComputeDevice.SgdUpdate"/>: its values, its gradient, and its
/// momentum buffer. The gradient is either reduced already (<see cref="PartialCount"/> = 1) or held as
/// <see cref="PartialCount"/> per-sample partial gradients laid end to end, which the update sums in
/// ascending sample order (docs/numerics.md).
/// </summary>
public readonly record struct SgdTensor
{
    /// <summary>Records one tensor's slices.</summary>
    /// <exception cref="ArgumentException">Slices whose lengths disagree, or a partial count below 1.</exception>
    public SgdTensor(DeviceSlice<float> values, DeviceSlice<float> gradient, DeviceSlice<float> velocity, int partialCount = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(partialCount, 1);
        if (velocity.Length != values.Length)
        {
            throw new ArgumentException($"The velocity has {velocity.Length} elements; the values have {values.Length}.", nameof(velocity));
        }

        if ((long)values.Length * partialCount > gradient.Length)
        {
            throw new ArgumentException(
                $"The gradient has {gradient.Length} elements, fewer than {partialCount} partials of {values.Length}.", nameof(gradient));
        }

        Values = values;
        Gradient = gradient;
        Velocity = velocity;
        PartialCount = partialCount;
    }

    /// <summary>The parameters, updated in place.</summary>
    public DeviceSlice<float> Values { get; }

    /// <summary>The gradient, or <see cref="PartialCount"/> partial gradients end to end.</summary>
    public DeviceSlice<float> Gradient { get; }

    /// <summary>The momentum buffer, updated in place.</summary>
    public DeviceSlice<float> Velocity { get; }

    /// <summary>How many partial gradients <see cref="Gradient"/> holds.</summary>
    public int PartialCount { get; }
}
