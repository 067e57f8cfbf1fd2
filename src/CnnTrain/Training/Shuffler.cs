using MathNet.Numerics.Random;

namespace CnnTrain.Training;

/// <summary>
/// The order of an epoch's samples: a Fisher–Yates shuffle driven by a generator seeded from the run's seed
/// and the epoch number, so any epoch's order can be rebuilt alone (which resuming from a checkpoint needs).
/// The epoch's dropout masks come from a second stream of the same seed and epoch (<see cref="MaskSource"/>).
/// </summary>
internal static class Shuffler
{
    public static void Fill(Span<int> order, int seed, int epoch, bool shuffle)
    {
        for (int i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        if (!shuffle)
        {
            return;
        }

        var random = new Xoshiro256StarStar(EpochSeed(seed, epoch), threadSafe: false);
        for (int i = order.Length - 1; i > 0; i--)
        {
            int j = random.Next(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }
    }

    /// <summary>The generator of an epoch's dropout masks: unrelated to the shuffle's, rebuilt from the seed and epoch alone.</summary>
    public static Xoshiro256StarStar MaskSource(int seed, int epoch) => new(EpochSeed(seed, epoch, MaskStream), threadSafe: false);

    // "DROPOUT" in ASCII: xored into the key, it separates the masks' stream from the shuffle's (stream 0).
    private const ulong MaskStream = 0x44524F504F5554;

    // SplitMix64's finaliser: neighbouring (seed, epoch) pairs give unrelated streams.
    private static int EpochSeed(int seed, int epoch, ulong stream = 0)
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
