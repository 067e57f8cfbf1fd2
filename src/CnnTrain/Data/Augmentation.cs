using System.Globalization;
using CnnTrain.Numerics;
using MathNet.Numerics.Random;

namespace CnnTrain.Data;

/// <summary>
/// Random crops with padding and horizontal flips of image samples, applied on the host to every training sample at
/// the start of each epoch (<see cref="Training.TrainerOptions.Augmentation"/>). The draws come from xoshiro256** seeded
/// from the trainer's seed and the epoch, so a run — resumed or not, on any device — sees the same images.
/// </summary>
/// <remarks>
/// For each sample in dataset order the generator draws, in this order, the vertical shift dy and the horizontal shift
/// dx, each uniform in [−<see cref="CropPadding"/>, <see cref="CropPadding"/>] (when the padding is above 0), then the
/// flip (when <see cref="HorizontalFlip"/> is on: heads with probability ½). Output pixel (c, y, x) is input pixel
/// (c, y + dy, x' + dx), where x' is x, or width − 1 − x when flipped; positions outside the image are 0 (the padding).
/// Values are copied, never computed, so augmentation introduces no rounding.
/// </remarks>
public sealed record Augmentation
{
    /// <summary>The largest padding accepted.</summary>
    public const int MaxCropPadding = 64;

    /// <summary>Creates the augmentation.</summary>
    /// <param name="cropPadding">Zero padding on each side before a crop back to the original size; 0 for no crop.</param>
    /// <param name="horizontalFlip">Whether each sample is mirrored left to right with probability ½.</param>
    /// <exception cref="ArgumentOutOfRangeException">The padding is negative or above <see cref="MaxCropPadding"/>.</exception>
    public Augmentation(int cropPadding = 0, bool horizontalFlip = false)
    {
        if (cropPadding is < 0 or > MaxCropPadding)
        {
            throw new ArgumentOutOfRangeException(nameof(cropPadding), cropPadding, $"The crop padding must lie in [0, {MaxCropPadding}].");
        }

        CropPadding = cropPadding;
        HorizontalFlip = horizontalFlip;
    }

    /// <summary>Zero padding on each side before the random crop; 0 for none.</summary>
    public int CropPadding { get; }

    /// <summary>Whether samples are flipped left to right at random.</summary>
    public bool HorizontalFlip { get; }

    /// <summary>Whether the augmentation changes anything.</summary>
    public bool IsIdentity => CropPadding == 0 && !HorizontalFlip;

    /// <summary>
    /// Writes the augmented samples of <paramref name="data"/> for epoch <paramref name="epoch"/> (from 0) of a run seeded
    /// with <paramref name="seed"/> to <paramref name="destination"/>, which holds as many values as the samples.
    /// </summary>
    /// <exception cref="ArgumentException">The samples are not images (rank 3), or <paramref name="destination"/> has the wrong length.</exception>
    public void Apply(Dataset data, int seed, int epoch, Span<float> destination)
    {
        ArgumentNullException.ThrowIfNull(data);
        TensorShape shape = data.SampleShape;
        if (shape.Rank != 3)
        {
            throw new ArgumentException($"Augmentation crops and flips images (channels, height, width); the samples have shape {shape}.", nameof(data));
        }

        ReadOnlySpan<float> samples = data.Samples.Span;
        if (destination.Length != samples.Length)
        {
            throw new ArgumentException($"The destination holds {destination.Length} values; the samples {samples.Length}.", nameof(destination));
        }

        var random = new Xoshiro256StarStar(SeedMix.Of(seed, epoch, SeedMix.Augmentation), threadSafe: false);
        int channels = shape.Channels, height = shape.Height, width = shape.Width, size = shape.Size;
        for (int n = 0; n < data.Count; n++)
        {
            int dy = CropPadding == 0 ? 0 : random.Next(-CropPadding, CropPadding + 1);
            int dx = CropPadding == 0 ? 0 : random.Next(-CropPadding, CropPadding + 1);
            bool flip = HorizontalFlip && random.Next(2) == 1;
            ReadOnlySpan<float> from = samples.Slice(n * size, size);
            Span<float> to = destination.Slice(n * size, size);
            for (int c = 0; c < channels; c++)
            {
                for (int y = 0; y < height; y++)
                {
                    int sy = y + dy;
                    Span<float> row = to.Slice(((c * height) + y) * width, width);
                    if ((uint)sy >= (uint)height)
                    {
                        row.Clear();
                        continue;
                    }

                    ReadOnlySpan<float> source = from.Slice(((c * height) + sy) * width, width);
                    for (int x = 0; x < width; x++)
                    {
                        int sx = (flip ? width - 1 - x : x) + dx;
                        row[x] = (uint)sx < (uint)width ? source[sx] : 0f;
                    }
                }
            }
        }
    }

    /// <inheritdoc />
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture, $"augmentation: crop padding {CropPadding}, horizontal flip {(HorizontalFlip ? "on" : "off")}");
}
