using CnnTrain.Devices;
using MathNet.Numerics.Random;

namespace CnnTrain.Ops;

/// <summary>
/// Dropout's masks: one bit per element, set when the element is kept, packed in 32-bit words, ⌈size / 32⌉ words per
/// sample (the last word's spare bits clear). Drawn on the host (docs/numerics.md, "Dropout"), so every device reads
/// the same bits, and how they are scaled.
/// </summary>
internal static class DropoutMask
{
    /// <summary>The mask words of one sample of <paramref name="size"/> elements.</summary>
    public static int WordsPerSample(int size) => (size / 32) + (size % 32 == 0 ? 0 : 1);

    /// <summary>The factor kept elements are multiplied by: 1 / (1 - p) in double, rounded to float once.</summary>
    public static float Scale(double probability) => (float)(1.0 / (1.0 - probability));

    /// <summary>
    /// Draws the masks of <paramref name="samples"/> samples: for each sample, for each element in order, one
    /// <see cref="System.Random.NextDouble"/>; the element is kept when it is at least <paramref name="probability"/>.
    /// </summary>
    public static void Draw(Span<int> words, int samples, int size, double probability, RandomSource random)
    {
        int perSample = WordsPerSample(size);
        words.Clear();
        for (int n = 0; n < samples; n++)
        {
            Span<int> sample = words.Slice(n * perSample, perSample);
            for (int i = 0; i < size; i++)
            {
                if (random.NextDouble() >= probability)
                {
                    sample[i >> 5] |= 1 << (i & 31);
                }
            }
        }
    }

    /// <summary>Whether element <paramref name="i"/> of a sample whose words start at <paramref name="sample"/> is kept.</summary>
    public static bool Kept(ReadOnlySpan<int> words, int sample, int i) => ((words[sample + (i >> 5)] >> (i & 31)) & 1) != 0;

    public static void Check(IComputeDevice device, int batch, int size, DeviceSlice<int> masks)
    {
        SliceChecks.Batch(batch);
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        SliceChecks.Slice(device, masks, (long)batch * WordsPerSample(size), "Masks");
    }
}
