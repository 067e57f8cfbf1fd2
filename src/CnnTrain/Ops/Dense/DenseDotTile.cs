using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using CnnTrain.Numerics;

namespace CnnTrain.Ops;

/// <summary>
/// The forward dot products of two weight rows with three samples, each the canonical dot32 (docs/numerics.md): four
/// vectors hold a product's lanes 0-7, 8-15, 16-23 and 24-31, so one loaded input vector feeds two rows and one loaded
/// weight vector three samples. 24 accumulators fit the 32 vector registers that AVX-512 machines give 256-bit code.
/// </summary>
internal static unsafe class DenseDotTile
{
    /// <summary>Weight rows per tile.</summary>
    public const int Rows = 2;

    /// <summary>Samples per tile.</summary>
    public const int Samples = 3;

    /// <summary>
    /// dot32(w[r], x[s]) for r &lt; 2, s &lt; 3, into <paramref name="result"/>[3r + s]. Rows and samples are
    /// <paramref name="inputs"/> long; the last incomplete block of 32 is read from zero-padded copies (a +0 term leaves
    /// an accumulator that starts at +0 unchanged, so the padding adds nothing).
    /// </summary>
    public static void Run(float* w0, float* w1, float* x0, float* x1, float* x2, int inputs, float* result)
    {
        Vector256<float> a00 = Vector256<float>.Zero, a01 = a00, a02 = a00, a03 = a00;
        Vector256<float> a10 = a00, a11 = a00, a12 = a00, a13 = a00;
        Vector256<float> a20 = a00, a21 = a00, a22 = a00, a23 = a00;
        Vector256<float> b00 = a00, b01 = a00, b02 = a00, b03 = a00;
        Vector256<float> b10 = a00, b11 = a00, b12 = a00, b13 = a00;
        Vector256<float> b20 = a00, b21 = a00, b22 = a00, b23 = a00;
        int full = inputs / Dot32.Lanes * Dot32.Lanes;
        float* tail = stackalloc float[5 * Dot32.Lanes];
        for (int i = 0; i <= full; i += Dot32.Lanes)
        {
            float* p0 = w0 + i, p1 = w1 + i, q0 = x0 + i, q1 = x1 + i, q2 = x2 + i;
            if (i == full)
            {
                int rest = inputs - full;
                if (rest == 0)
                {
                    break;
                }

                p0 = Pad(p0, rest, tail);
                p1 = Pad(p1, rest, tail + Dot32.Lanes);
                q0 = Pad(q0, rest, tail + (2 * Dot32.Lanes));
                q1 = Pad(q1, rest, tail + (3 * Dot32.Lanes));
                q2 = Pad(q2, rest, tail + (4 * Dot32.Lanes));
            }

            Step(p0, p1, q0, q1, q2, ref a00, ref a10, ref a20, ref b00, ref b10, ref b20);
            Step(p0 + 8, p1 + 8, q0 + 8, q1 + 8, q2 + 8, ref a01, ref a11, ref a21, ref b01, ref b11, ref b21);
            Step(p0 + 16, p1 + 16, q0 + 16, q1 + 16, q2 + 16, ref a02, ref a12, ref a22, ref b02, ref b12, ref b22);
            Step(p0 + 24, p1 + 24, q0 + 24, q1 + 24, q2 + 24, ref a03, ref a13, ref a23, ref b03, ref b13, ref b23);
        }

        result[0] = Fold(a00, a01, a02, a03);
        result[1] = Fold(a10, a11, a12, a13);
        result[2] = Fold(a20, a21, a22, a23);
        result[3] = Fold(b00, b01, b02, b03);
        result[4] = Fold(b10, b11, b12, b13);
        result[5] = Fold(b20, b21, b22, b23);
    }

    /// <summary>
    /// Dot32.Fold on vectors: lanes l += l + 16 (two vector adds), l += l + 8, then 4, 2, 1 within the last vector.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Fold(Vector256<float> l0, Vector256<float> l1, Vector256<float> l2, Vector256<float> l3)
    {
        Vector256<float> v = (l0 + l2) + (l1 + l3);
        Vector128<float> s = v.GetLower() + v.GetUpper();
        return (s.GetElement(0) + s.GetElement(2)) + (s.GetElement(1) + s.GetElement(3));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Step(
        float* p0, float* p1, float* q0, float* q1, float* q2,
        ref Vector256<float> a0, ref Vector256<float> a1, ref Vector256<float> a2, ref Vector256<float> b0, ref Vector256<float> b1, ref Vector256<float> b2)
    {
        Vector256<float> w0 = Vector256.Load(p0), w1 = Vector256.Load(p1);
        Vector256<float> x = Vector256.Load(q0);
        a0 = Vector256.FusedMultiplyAdd(w0, x, a0);
        b0 = Vector256.FusedMultiplyAdd(w1, x, b0);
        x = Vector256.Load(q1);
        a1 = Vector256.FusedMultiplyAdd(w0, x, a1);
        b1 = Vector256.FusedMultiplyAdd(w1, x, b1);
        x = Vector256.Load(q2);
        a2 = Vector256.FusedMultiplyAdd(w0, x, a2);
        b2 = Vector256.FusedMultiplyAdd(w1, x, b2);
    }

    private static float* Pad(float* source, int count, float* block)
    {
        new Span<float>(source, count).CopyTo(new Span<float>(block, Dot32.Lanes));
        new Span<float>(block + count, Dot32.Lanes - count).Clear();
        return block;
    }
}
