using System.Runtime.Intrinsics;

namespace CnnTrain.Ops;

/// <summary>The max pool that ends a Multicore convolution block, vectorised for its common 2×2/2 windows.</summary>
internal static unsafe class ConvolutionPool2x2
{
    private const int Width = 8; // Vector256<float> lanes

    /// <summary>Whether <see cref="Forward"/> applies to the pool (else the reference loops run).</summary>
    public static bool Applies(in Pool2DDescriptor p) => p.Size == 2 && p.Stride == 2 && p.InputWidth >= 2 * Width;

    /// <summary>
    /// 2×2 windows with stride 2, eight windows per vector: the window's four values are split into
    /// even/odd columns of its two rows and compared in row-major order with strict "greater", so the
    /// first maximum wins exactly as in the reference.
    /// </summary>
    public static void Forward(in Pool2DDescriptor p, ReadOnlySpan<float> plane, Span<float> output, Span<int> indices)
    {
        int inW = p.InputWidth;
        int outW = p.OutputWidth;
        Vector256<int> lane = Vector256.Create(0, 2, 4, 6, 8, 10, 12, 14);
        fixed (float* pz = plane, py = output)
        fixed (int* pi = indices)
        {
            for (int wy = 0; wy < p.OutputHeight; wy++)
            {
                float* top = pz + (2 * wy * inW);
                float* bottom = top + inW;
                for (int w0 = 0; w0 < outW; w0 += Width)
                {
                    int first = Math.Min(w0, outW - Width);
                    int column = 2 * first;
                    (Vector256<float> a, Vector256<float> b) = Deinterleave(top + column);
                    (Vector256<float> c, Vector256<float> e) = Deinterleave(bottom + column);
                    Vector256<int> ia = lane + Vector256.Create((2 * wy * inW) + column);
                    Vector256<int> best = ia;
                    Vector256<float> max = a;
                    Take(b, ia + Vector256.Create(1), ref max, ref best);
                    Take(c, ia + Vector256.Create(inW), ref max, ref best);
                    Take(e, ia + Vector256.Create(inW + 1), ref max, ref best);
                    Vector256.Store(max, py + (wy * outW) + first);
                    Vector256.Store(best, pi + (wy * outW) + first);
                }
            }
        }
    }

    private static void Take(Vector256<float> candidate, Vector256<int> index, ref Vector256<float> max, ref Vector256<int> best)
    {
        Vector256<float> greater = Vector256.GreaterThan(candidate, max);
        max = Vector256.ConditionalSelect(greater, candidate, max);
        best = Vector256.ConditionalSelect(greater.AsInt32(), index, best);
    }

    // Sixteen consecutive floats as (even columns, odd columns).
    private static (Vector256<float> Even, Vector256<float> Odd) Deinterleave(float* source)
    {
        Vector256<int> order = Vector256.Create(0, 2, 4, 6, 1, 3, 5, 7);
        Vector256<float> low = Vector256.Shuffle(Vector256.Load(source), order);
        Vector256<float> high = Vector256.Shuffle(Vector256.Load(source + Width), order);
        return (Vector256.Create(low.GetLower(), high.GetLower()), Vector256.Create(low.GetUpper(), high.GetUpper()));
    }
}
