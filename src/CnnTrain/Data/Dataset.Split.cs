using MathNet.Numerics.Random;

namespace CnnTrain.Data;

public sealed partial class Dataset
{
    /// <summary>
    /// Splits the samples into a training part and a validation part of <paramref name="validationFraction"/> of them,
    /// chosen by a seeded shuffle: a Fisher–Yates shuffle of the indices driven by xoshiro256** seeded from
    /// <paramref name="seed"/>, whose first ⌊fraction × count⌋ indices (at least 1) are the validation samples. Both
    /// parts keep the original order of their samples. The same seed and fraction give the same split on every machine.
    /// </summary>
    /// <param name="validationFraction">The share held out for validation, in (0, 1).</param>
    /// <param name="seed">Seed of the split (a <see cref="Training.Trainer"/> uses its <see cref="Training.TrainerOptions.Seed"/>).</param>
    /// <exception cref="ArgumentOutOfRangeException">The fraction is outside (0, 1), or leaves one part empty.</exception>
    public (Dataset Train, Dataset Validation) Split(double validationFraction, int seed)
    {
        if (!(validationFraction > 0 && validationFraction < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(validationFraction), validationFraction, "The validation fraction must lie in (0, 1).");
        }

        int held = Math.Max(1, (int)(validationFraction * Count));
        if (held >= Count)
        {
            throw new ArgumentOutOfRangeException(
                nameof(validationFraction), validationFraction, $"A validation share of {validationFraction} of {Count} samples leaves none to train on.");
        }

        var order = new int[Count];
        for (int i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        var random = new Xoshiro256StarStar(seed, threadSafe: false);
        for (int i = order.Length - 1; i > 0; i--)
        {
            int j = random.Next(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }

        int[] validation = order[..held];
        int[] train = order[held..];
        Array.Sort(validation);
        Array.Sort(train);
        return (Select(train), Select(validation));
    }

    /// <summary>A copy of the samples at <paramref name="indices"/>, in that order.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An index lies outside the samples.</exception>
    public Dataset Select(ReadOnlySpan<int> indices)
    {
        int size = SampleShape.Size;
        var samples = new float[checked(indices.Length * size)];
        var labels = new int[indices.Length];
        for (int i = 0; i < indices.Length; i++)
        {
            int index = indices[i];
            if ((uint)index >= (uint)Count)
            {
                throw new ArgumentOutOfRangeException(nameof(indices), index, $"Index {i} is {index}, outside the {Count} samples.");
            }

            _samples.AsSpan(index * size, size).CopyTo(samples.AsSpan(i * size));
            labels[i] = _labels[index];
        }

        return new Dataset(SampleShape, samples, labels, Classes);
    }
}
