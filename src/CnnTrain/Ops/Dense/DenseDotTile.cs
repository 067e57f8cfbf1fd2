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

    private const int Accumulators = 4 * Rows * Samples;

    /// <summary>
    /// dot32(w[r], x[s]) for r &lt; 2, s &lt; 3, into <paramref name="result"/>[3r + s]. Rows and samples are
    /// <paramref name="inputs"/> long; the last incomplete block of 32 is read from zero-padded copies (a +0 term leaves
    /// an accumulator that starts at +0 unchanged, so the padding adds nothing).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(float* w0, float* w1, float* x0, float* x1, float* x2, int inputs, float* result)
    {
        Vector256<float>* acc = stackalloc Vector256<float>[Accumulators];
        new Span<Vector256<float>>(acc, Accumulators).Clear();
        int blocks = inputs / Dot32.Lanes, full = blocks * Dot32.Lanes, rest = inputs - full;
        Blocks(w0, w1, x0, x1, x2, blocks, acc);
        if (rest != 0)
        {
            float* tail = stackalloc float[5 * Dot32.Lanes];
            Blocks(
                Pad(w0 + full, rest, tail), Pad(w1 + full, rest, tail + Dot32.Lanes), Pad(x0 + full, rest, tail + (2 * Dot32.Lanes)),
                Pad(x1 + full, rest, tail + (3 * Dot32.Lanes)), Pad(x2 + full, rest, tail + (4 * Dot32.Lanes)), 1, acc);
        }

        for (int p = 0; p < Rows * Samples; p++)
        {
            result[p] = Fold(acc[(4 * p) + 0], acc[(4 * p) + 1], acc[(4 * p) + 2], acc[(4 * p) + 3]);
        }
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

    /// <summary>
    /// <paramref name="blocks"/> blocks of 32 onto the accumulators <paramref name="acc"/>[4p + q] (p = 3r + s the product,
    /// q its lane vector), held in registers over the loop.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Blocks(float* w0, float* w1, float* x0, float* x1, float* x2, int blocks, Vector256<float>* acc)
    {
        Vector256<float> a00 = acc[0], a01 = acc[1], a02 = acc[2], a03 = acc[3];
        Vector256<float> a10 = acc[4], a11 = acc[5], a12 = acc[6], a13 = acc[7];
        Vector256<float> a20 = acc[8], a21 = acc[9], a22 = acc[10], a23 = acc[11];
        Vector256<float> b00 = acc[12], b01 = acc[13], b02 = acc[14], b03 = acc[15];
        Vector256<float> b10 = acc[16], b11 = acc[17], b12 = acc[18], b13 = acc[19];
        Vector256<float> b20 = acc[20], b21 = acc[21], b22 = acc[22], b23 = acc[23];
        for (int b = 0; b < blocks; b++, w0 += Dot32.Lanes, w1 += Dot32.Lanes, x0 += Dot32.Lanes, x1 += Dot32.Lanes, x2 += Dot32.Lanes)
        {
            Step(w0, w1, x0, x1, x2, ref a00, ref a10, ref a20, ref b00, ref b10, ref b20);
            Step(w0 + 8, w1 + 8, x0 + 8, x1 + 8, x2 + 8, ref a01, ref a11, ref a21, ref b01, ref b11, ref b21);
            Step(w0 + 16, w1 + 16, x0 + 16, x1 + 16, x2 + 16, ref a02, ref a12, ref a22, ref b02, ref b12, ref b22);
            Step(w0 + 24, w1 + 24, x0 + 24, x1 + 24, x2 + 24, ref a03, ref a13, ref a23, ref b03, ref b13, ref b23);
        }

        acc[0] = a00; acc[1] = a01; acc[2] = a02; acc[3] = a03;
        acc[4] = a10; acc[5] = a11; acc[6] = a12; acc[7] = a13;
        acc[8] = a20; acc[9] = a21; acc[10] = a22; acc[11] = a23;
        acc[12] = b00; acc[13] = b01; acc[14] = b02; acc[15] = b03;
        acc[16] = b10; acc[17] = b11; acc[18] = b12; acc[19] = b13;
        acc[20] = b20; acc[21] = b21; acc[22] = b22; acc[23] = b23;
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
