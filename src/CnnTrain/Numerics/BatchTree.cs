using System.Numerics;

namespace CnnTrain.Numerics;

/// <summary>
/// The canonical shape of every sum over the batch (docs/numerics.md, "Sums over the batch"): samples form chunks of
/// <see cref="BatchChunk"/>, each chunk is reduced on its own, and the chunks' partials meet in one fixed binary tree.
/// Neither the batch size nor how a batch is split (threads, blocks, GPUs in contiguous ranges of chunks) changes a bit.
/// kernels/common/batch_tree.cuh mirrors the constant as BATCH_CHUNK.
/// </summary>
internal static class BatchTree
{
    /// <summary>Samples per chunk: chunk j covers samples [16j, min(16j + 16, B)).</summary>
    public const int BatchChunk = 16;

    /// <summary>The number of chunks of a batch of <paramref name="samples"/> samples, ceil(samples / 16).</summary>
    public static int Chunks(int samples)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(samples, 1);
        return ((samples - 1) / BatchChunk) + 1;
    }

    /// <summary>The samples [First, End) of chunk <paramref name="chunk"/> of a batch of <paramref name="samples"/>.</summary>
    public static (int First, int End) Samples(int chunk, int samples) =>
        (chunk * BatchChunk, Math.Min((chunk * BatchChunk) + BatchChunk, samples));

    /// <summary>The leaves a tree over <paramref name="chunks"/> chunks has once padded: the next power of two.</summary>
    public static int Width(int chunks) => (int)BitOperations.RoundUpToPowerOf2((uint)chunks);

    /// <summary>
    /// The definition of the tree: <paramref name="tree"/>[0..<paramref name="leaves"/>) holds the leaves; they are padded
    /// with +0 up to <see cref="Width"/>, then <c>T'[i] = T[2i] + T[2i+1]</c> until one value remains, which is returned.
    /// <paramref name="tree"/> is overwritten.
    /// </summary>
    public static float Reduce(Span<float> tree, int leaves)
    {
        int width = Width(leaves);
        tree[leaves..width].Fill(0f);
        for (; width > 1; width /= 2)
        {
            for (int i = 0; i < width / 2; i++)
            {
                tree[i] = tree[2 * i] + tree[(2 * i) + 1];
            }
        }

        return tree[0];
    }
}
