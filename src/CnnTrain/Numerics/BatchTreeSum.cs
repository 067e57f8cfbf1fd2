namespace CnnTrain.Numerics;

/// <summary>
/// The batch tree (docs/numerics.md, "Sums over the batch") over per-sample values read with a stride: each chunk of
/// <see cref="BatchTree.BatchChunk"/> samples summed from +0 in ascending order, the chunk sums joined by
/// <see cref="BatchTree.Reduce"/>. Batch normalisation uses it for its sums over samples.
/// </summary>
internal static class BatchTreeSum
{
    /// <summary>The tree sum of <paramref name="count"/> values <paramref name="values"/>[first + n × stride].</summary>
    public static float Sum(ReadOnlySpan<float> values, int first, int stride, int count)
    {
        int chunks = BatchTree.Chunks(count);
        int width = BatchTree.Width(chunks);
        Span<float> tree = width <= 256 ? stackalloc float[width] : new float[width];
        for (int k = 0; k < chunks; k++)
        {
            (int start, int end) = BatchTree.Samples(k, count);
            float sum = 0f;
            for (int n = start; n < end; n++)
            {
                sum += values[first + (n * stride)];
            }

            tree[k] = sum;
        }

        return BatchTree.Reduce(tree, chunks);
    }
}
