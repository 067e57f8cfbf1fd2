namespace CnnTrain.Numerics;

/// <summary>
/// The batch tree (docs/numerics.md, "Batch tree"): a sum over samples whose shape depends on nothing but the sample
/// count. Chunks of <see cref="Chunk"/> consecutive samples are each summed from +0 in ascending order; the chunk sums,
/// padded with +0 to a power of two, are then added in pairs, T'[i] = T[2i] + T[2i+1], until one remains.
/// </summary>
internal static class BatchTreeSum
{
    public const int Chunk = 16;

    /// <summary>The tree sum of <paramref name="count"/> values <paramref name="values"/>[first + n × stride].</summary>
    public static float Sum(ReadOnlySpan<float> values, int first, int stride, int count)
    {
        int chunks = (count + Chunk - 1) / Chunk;
        int width = 1;
        while (width < chunks)
        {
            width <<= 1;
        }

        Span<float> level = width <= 256 ? stackalloc float[width] : new float[width];
        level.Clear();
        for (int k = 0; k < chunks; k++)
        {
            float sum = 0f;
            for (int n = k * Chunk; n < Math.Min(count, (k + 1) * Chunk); n++)
            {
                sum += values[first + (n * stride)];
            }

            level[k] = sum;
        }

        for (; width > 1; width >>= 1)
        {
            for (int i = 0; i < width / 2; i++)
            {
                level[i] = level[2 * i] + level[(2 * i) + 1];
            }
        }

        return level[0];
    }
}
