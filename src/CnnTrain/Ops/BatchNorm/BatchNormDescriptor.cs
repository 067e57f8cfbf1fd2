namespace CnnTrain.Ops;

/// <summary>
/// Batch normalisation over <see cref="Channels"/> channels of <see cref="Positions"/> positions each per sample
/// (BatchNorm2D: an image's planes; BatchNorm1D: one position per feature), with its float constants: ε, the
/// momentum m and k = 1 - m, each computed in double and rounded to float once.
/// </summary>
internal readonly record struct BatchNormDescriptor
{
    /// <exception cref="ArgumentOutOfRangeException">A count below 1 or a sample over int.MaxValue elements.</exception>
    public BatchNormDescriptor(int channels, int positions, double epsilon, double momentum)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(channels, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(positions, 1);
        if ((long)channels * positions > int.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(positions), positions, $"{channels} channels of {positions} positions exceed int.MaxValue elements per sample.");
        }

        Channels = channels;
        Positions = positions;
        Epsilon = (float)epsilon;
        Momentum = (float)momentum;
        Keep = (float)(1.0 - momentum);
    }

    public int Channels { get; }

    public int Positions { get; }

    public float Epsilon { get; }

    public float Momentum { get; }

    public float Keep { get; }

    public int Size => Channels * Positions;

    /// <summary>M: the values per channel in a batch, N × positions converted to float once.</summary>
    public float Count(int batch) => (long)batch * Positions;

    /// <summary>M - 1 for the unbiased variance, converted from the integer once.</summary>
    public float CountLessOne(int batch) => ((long)batch * Positions) - 1;
}
