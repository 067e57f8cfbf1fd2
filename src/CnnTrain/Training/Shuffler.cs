using CnnTrain.Numerics;
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

        var random = new Xoshiro256StarStar(SeedMix.Of(seed, epoch, SeedMix.Shuffle), threadSafe: false);
        for (int i = order.Length - 1; i > 0; i--)
        {
            int j = random.Next(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }
    }

    /// <summary>The generator of an epoch's dropout masks: unrelated to the shuffle's, rebuilt from the seed and epoch alone.</summary>
    public static Xoshiro256StarStar MaskSource(int seed, int epoch) => new(SeedMix.Of(seed, epoch, SeedMix.Dropout), threadSafe: false);
}
