using System.Globalization;

namespace CnnTrain.Data;

/// <summary>
/// Per-channel normalisation, <c>(x − mean[c]) / std[c]</c> in float32 for every value of channel c: given, or computed
/// from a training set with <see cref="Compute"/>, and then applied alike to the training, validation and test sets.
/// Samples of rank 3 have <see cref="TensorShape.Channels"/> channels; any other shape is one channel.
/// </summary>
public sealed record ChannelNormalization
{
    private readonly float[] _mean;
    private readonly float[] _std;

    /// <summary>Creates the normalisation from one mean and one standard deviation per channel.</summary>
    /// <exception cref="ArgumentException">The lists differ in length or are empty, a mean is not finite, or a deviation is not positive and finite.</exception>
    public ChannelNormalization(IReadOnlyList<float> mean, IReadOnlyList<float> std)
    {
        ArgumentNullException.ThrowIfNull(mean);
        ArgumentNullException.ThrowIfNull(std);
        if (mean.Count == 0 || mean.Count != std.Count)
        {
            throw new ArgumentException($"Give one mean and one deviation per channel; got {mean.Count} means and {std.Count} deviations.", nameof(std));
        }

        for (int c = 0; c < mean.Count; c++)
        {
            if (!float.IsFinite(mean[c]))
            {
                throw new ArgumentException($"The mean of channel {c} is {mean[c]}; it must be finite.", nameof(mean));
            }

            if (!float.IsFinite(std[c]) || std[c] <= 0f)
            {
                throw new ArgumentException($"The deviation of channel {c} is {std[c]}; it must be positive and finite.", nameof(std));
            }
        }

        _mean = [.. mean];
        _std = [.. std];
    }

    /// <summary>Each channel's mean.</summary>
    public IReadOnlyList<float> Mean => _mean;

    /// <summary>Each channel's standard deviation.</summary>
    public IReadOnlyList<float> Std => _std;

    /// <summary>
    /// The mean and population standard deviation of each channel of <paramref name="data"/>, each accumulated in double
    /// over the samples in order and each sample's values of that channel in order (the mean first, then the squared
    /// deviations from it), and rounded to float once: the same bits on every machine.
    /// </summary>
    /// <exception cref="ArgumentException">The dataset is empty, or a channel is constant (its deviation would be 0).</exception>
    public static ChannelNormalization Compute(Dataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.Count == 0)
        {
            throw new ArgumentException("The dataset is empty.", nameof(data));
        }

        int channels = ChannelsOf(data.SampleShape), plane = data.SampleShape.Size / channels;
        ReadOnlySpan<float> samples = data.Samples.Span;
        var mean = new float[channels];
        var std = new float[channels];
        double n = (double)data.Count * plane;
        for (int c = 0; c < channels; c++)
        {
            double sum = 0;
            for (int s = 0; s < data.Count; s++)
            {
                foreach (float v in samples.Slice((s * data.SampleShape.Size) + (c * plane), plane))
                {
                    sum += v;
                }
            }

            double m = sum / n, squares = 0;
            for (int s = 0; s < data.Count; s++)
            {
                foreach (float v in samples.Slice((s * data.SampleShape.Size) + (c * plane), plane))
                {
                    squares += (v - m) * (v - m);
                }
            }

            mean[c] = (float)m;
            std[c] = (float)Math.Sqrt(squares / n);
            if (!(std[c] > 0f))
            {
                throw new ArgumentException($"Channel {c} of the data is constant ({mean[c]}); it cannot be scaled to unit deviation.", nameof(data));
            }
        }

        return new ChannelNormalization(mean, std);
    }

    /// <summary>A copy of <paramref name="data"/> with every value normalised.</summary>
    /// <exception cref="ArgumentException">The data has another number of channels.</exception>
    public Dataset Apply(Dataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        int channels = ChannelsOf(data.SampleShape);
        if (channels != _mean.Length)
        {
            throw new ArgumentException($"The samples have {channels} channels; this normalisation has {_mean.Length}.", nameof(data));
        }

        int size = data.SampleShape.Size, plane = size / channels;
        ReadOnlySpan<float> samples = data.Samples.Span;
        var result = new float[samples.Length];
        for (int i = 0; i < samples.Length; i++)
        {
            int c = i % size / plane;
            result[i] = (samples[i] - _mean[c]) / _std[c];
        }

        return new Dataset(data.SampleShape, result, data.Labels.ToArray(), data.Classes);
    }

    /// <inheritdoc />
    public bool Equals(ChannelNormalization? other) =>
        other is not null && _mean.AsSpan().SequenceEqual(other._mean) && _std.AsSpan().SequenceEqual(other._std);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(_mean.Length, _mean[0], _std[0]);

    /// <inheritdoc />
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture, $"normalisation: mean [{string.Join(", ", _mean.Select(m => m.ToString("R", CultureInfo.InvariantCulture)))}], std [{string.Join(", ", _std.Select(s => s.ToString("R", CultureInfo.InvariantCulture)))}]");

    private static int ChannelsOf(TensorShape shape) => shape.Rank == 3 ? shape.Channels : 1;
}
