namespace CnnTrain.Numerics;

/// <summary>
/// Seeds of independent random streams derived from a run's seed and an epoch: SplitMix64's finaliser over the
/// word (seed, epoch) XOR a stream tag, so neighbouring pairs, and different uses of one pair, give unrelated streams.
/// </summary>
internal static class SeedMix
{
    /// <summary>The stream of the per-epoch shuffles (tag 0, so the shuffles are those of earlier versions).</summary>
    public const ulong Shuffle = 0;

    /// <summary>The stream of the per-epoch augmentation draws.</summary>
    public const ulong Augmentation = 0x41554720_41554720UL; // "AUG AUG "

    /// <summary>The stream of the per-epoch dropout masks.</summary>
    public const ulong Dropout = 0x44524F504F5554; // "DROPOUT"

    public static int Of(int seed, int epoch, ulong stream)
    {
        unchecked
        {
            ulong z = (((ulong)(uint)seed << 32) | (uint)epoch) ^ stream;
            z += 0x9E3779B97F4A7C15UL;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            z ^= z >> 31;
            return (int)z;
        }
    }
}
