using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace CnnTrain.Ops;

/// <summary>
/// Eight consecutive outputs of a pooled plane (row-major, so a vector may span output rows) as the lanes of
/// gathers: lane i reads its window's element (wy, wx) at origin[i] + wy·inputWidth + wx. Any window size,
/// stride and plane width maps onto whole vectors this way; each lane runs its window alone, in the reference's
/// order, so the bits are the reference's.
/// </summary>
internal static class PoolLanes
{
    /// <summary>Lanes of a vector.</summary>
    public const int Width = 8;

    /// <summary>Whether a plane of <paramref name="outputs"/> pooled values runs in lanes (AVX2 gathers, a whole vector of outputs).</summary>
    public static bool Applies(int outputs) => Avx2.IsSupported && outputs >= Width;

    /// <summary>
    /// The first output of each vector of a plane: 0, 8, 16, … with the last vector moved back to end at the
    /// plane's end (it recomputes a few outputs with the same bits rather than running a scalar tail).
    /// </summary>
    public static int First(int start, int outputs) => Math.Min(start, outputs - Width);

    /// <summary>The input offsets of the windows of outputs first … first + 7.</summary>
    public static Vector256<int> Origins(int first, int outputWidth, int strideY, int strideX, int inputWidth)
    {
        Span<int> origins = stackalloc int[Width];
        int py = first / outputWidth, px = first % outputWidth;
        for (int i = 0; i < Width; i++)
        {
            origins[i] = (py * strideY * inputWidth) + (px * strideX);
            if (++px == outputWidth)
            {
                px = 0;
                py++;
            }
        }

        return Vector256.Create<int>(origins);
    }

    /// <summary>plane[origins[i] + offset] for each lane i.</summary>
    public static unsafe Vector256<float> Gather(float* plane, Vector256<int> origins, int offset) =>
        Avx2.GatherVector256(plane, origins + Vector256.Create(offset), 4);
}
