namespace CnnTrain.Numerics;

/// <summary>
/// The canonical dot product (docs/numerics.md): 32 lanes accumulate, by fma and from +0, the terms whose
/// index is congruent to the lane modulo 32, in ascending index; the lanes then fold in halves
/// (lane l += lane l + h for h = 16, 8, 4, 2, 1). A warp follows it with one lane per partial sum and
/// shuffles; SIMD code follows it with 32/width vector accumulators.
/// </summary>
internal static class Dot32
{
    /// <summary>The number of strided partial sums.</summary>
    public const int Lanes = 32;

    /// <summary>The reference form: plain scalar loops.</summary>
    public static float Scalar(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        Span<float> lanes = stackalloc float[Lanes];
        lanes.Clear();
        for (int j = 0; j < a.Length; j++)
        {
            int l = j % Lanes;
            lanes[l] = MathF.FusedMultiplyAdd(a[j], b[j], lanes[l]);
        }

        return Fold(lanes);
    }

    /// <summary>Folds 32 partial sums in halves, in place; returns the total.</summary>
    public static float Fold(Span<float> lanes)
    {
        for (int h = Lanes / 2; h >= 1; h /= 2)
        {
            for (int l = 0; l < h; l++)
            {
                lanes[l] += lanes[l + h];
            }
        }

        return lanes[0];
    }
}
