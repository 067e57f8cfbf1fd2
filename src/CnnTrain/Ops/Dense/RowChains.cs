using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace CnnTrain.Ops;

/// <summary>
/// Four rows of fma chains, the shape both backward products of the dense block share:
/// out[r][c] = fma chain from +0 over k ascending of s[r, k] m[k, c], one chain per lane (c = adjacent columns), so a
/// loaded row vector of m feeds four rows and a broadcast scalar of s two vectors. The weight gradient is it with r = an
/// output, k = a sample of the chunk, m = the inputs; the input gradient with r = a sample, k = an output, m = the weights.
/// </summary>
/// <remarks>s is the masked gradient that each task stages for itself (<see cref="Masked"/>), so the loop reads plain floats.</remarks>
internal static unsafe class RowChains
{
    /// <summary>Rows per call; fewer are computed by repeating the last (its duplicates are not stored).</summary>
    public const int Rows = 4;

    private const int Width = 8;

    /// <summary>
    /// dz[n, o] for n in [<paramref name="n0"/>, <paramref name="n1"/>), o in [<paramref name="o0"/>, <paramref name="o1"/>) into
    /// <paramref name="stage"/>[(n - n0)(o1 - o0) + o - o0]: the output gradient, or 0 where a ReLU's output is not above 0.
    /// </summary>
    public static void Masked(float* dy, float* y, bool relu, int outputs, int n0, int n1, int o0, int o1, float* stage)
    {
        for (int n = n0; n < n1; n++)
        {
            long row = (long)n * outputs;
            for (int o = o0; o < o1; o++)
            {
                *stage++ = relu && !(y[row + o] > 0f) ? 0f : dy[row + o];
            }
        }
    }

    /// <summary>
    /// Columns [<paramref name="c0"/>, <paramref name="c1"/>) of rows [0, <paramref name="rows"/>):
    /// s[r, k] at <paramref name="s"/>[r sRow + k sK], m[k, c] at <paramref name="m"/>[k mK + c],
    /// out[r][c] at <paramref name="output"/>[r outRow + c].
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(
        float* s, int sRow, int sK, int rows, float* m, int mK, int k0, int k1, int c0, int c1, float* output, int outRow)
    {
        float* s0 = s, s1 = s + (Math.Min(1, rows - 1) * sRow), s2 = s + (Math.Min(2, rows - 1) * sRow), s3 = s + (Math.Min(3, rows - 1) * sRow);
        int c = c0;
        for (; c + (2 * Width) <= c1; c += 2 * Width)
        {
            Vector256<float> a0 = Vector256<float>.Zero, a1 = a0, a2 = a0, a3 = a0, b0 = a0, b1 = a0, b2 = a0, b3 = a0;
            for (int k = k0; k < k1; k++)
            {
                float* row = m + ((long)k * mK) + c;
                Vector256<float> u = Vector256.Load(row), v = Vector256.Load(row + Width);
                int sk = k * sK;
                Vector256<float> g = Vector256.Create(s0[sk]);
                a0 = Vector256.FusedMultiplyAdd(g, u, a0);
                b0 = Vector256.FusedMultiplyAdd(g, v, b0);
                g = Vector256.Create(s1[sk]);
                a1 = Vector256.FusedMultiplyAdd(g, u, a1);
                b1 = Vector256.FusedMultiplyAdd(g, v, b1);
                g = Vector256.Create(s2[sk]);
                a2 = Vector256.FusedMultiplyAdd(g, u, a2);
                b2 = Vector256.FusedMultiplyAdd(g, v, b2);
                g = Vector256.Create(s3[sk]);
                a3 = Vector256.FusedMultiplyAdd(g, u, a3);
                b3 = Vector256.FusedMultiplyAdd(g, v, b3);
            }

            Store(rows, output + c, outRow, a0, a1, a2, a3);
            Store(rows, output + c + Width, outRow, b0, b1, b2, b3);
        }

        for (; c + Width <= c1; c += Width)
        {
            Vector256<float> a0 = Vector256<float>.Zero, a1 = a0, a2 = a0, a3 = a0;
            for (int k = k0; k < k1; k++)
            {
                Vector256<float> u = Vector256.Load(m + ((long)k * mK) + c);
                int sk = k * sK;
                a0 = Vector256.FusedMultiplyAdd(Vector256.Create(s0[sk]), u, a0);
                a1 = Vector256.FusedMultiplyAdd(Vector256.Create(s1[sk]), u, a1);
                a2 = Vector256.FusedMultiplyAdd(Vector256.Create(s2[sk]), u, a2);
                a3 = Vector256.FusedMultiplyAdd(Vector256.Create(s3[sk]), u, a3);
            }

            Store(rows, output + c, outRow, a0, a1, a2, a3);
        }

        for (; c < c1; c++)
        {
            for (int r = 0; r < rows; r++)
            {
                float acc = 0f;
                for (int k = k0; k < k1; k++)
                {
                    acc = MathF.FusedMultiplyAdd(s[(r * sRow) + (k * sK)], m[((long)k * mK) + c], acc);
                }

                output[((long)r * outRow) + c] = acc;
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(int rows, float* target, int outRow, Vector256<float> a0, Vector256<float> a1, Vector256<float> a2, Vector256<float> a3)
    {
        Vector256.Store(a0, target);
        if (rows > 1)
        {
            Vector256.Store(a1, target + outRow);
        }

        if (rows > 2)
        {
            Vector256.Store(a2, target + (2 * outRow));
        }

        if (rows > 3)
        {
            Vector256.Store(a3, target + (3 * outRow));
        }
    }
}
