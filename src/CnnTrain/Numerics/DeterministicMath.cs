namespace CnnTrain.Numerics;

/// <summary>
/// exp and log built only from correctly rounded float operations (+, -, *, /, fma) and bit moves, so that
/// the C# and CUDA copies (kernels/common/deterministic_math.cuh) give the same bits on every machine.
/// The platform's <c>MathF.Exp</c>/<c>expf</c> are not correctly rounded and differ between x86 and GPUs.
/// Accuracy is within 2 ulp over the whole float range; the operation sequence is part of the contract
/// (docs/numerics.md) and must change in both copies at once.
/// </summary>
internal static class DeterministicMath
{
    private const float Log2E = 1.44269502f;          // 0x3FB8AA3B
    private const float Ln2Hi = 0.693145752f;         // 0x3F317200: its low 9 bits are zero, so k * Ln2Hi is exact for |k| <= 256
    private const float Ln2Lo = 1.42860677e-06f;      // 0x35BFBE8E: ln 2 - Ln2Hi
    private const float RoundingShifter = 12582912f;  // 1.5 * 2^23: (t + S) - S rounds t to the nearest integer, ties to even
    private const float ExpOverflow = 88.7228394f;    // above: +inf
    private const float ExpUnderflow = -103.972084f;  // below: +0 (e^x < 2^-150)
    private const float Sqrt2 = 1.41421354f;          // 0x3FB504F3

    // Taylor coefficients 1/k! for e^r on |r| <= ln2/2; the truncation error (r^8/8! < 6e-9) is below float precision.
    private const float E2 = 0.5f;
    private const float E3 = 0.166666672f;     // 0x3E2AAAAB
    private const float E4 = 0.0416666679f;    // 0x3D2AAAAB
    private const float E5 = 0.00833333377f;   // 0x3C088889
    private const float E6 = 0.00138888892f;   // 0x3AB60B61
    private const float E7 = 0.000198412701f;  // 0x39500D01

    // 2 atanh(s) = 2s (1 + z/3 + z^2/5 + z^3/7 + z^4/9 + ...), z = s^2 <= 0.0295: the next term is below 2e-9.
    private const float L1 = 0.333333343f;     // 0x3EAAAAAB
    private const float L2 = 0.200000003f;     // 0x3E4CCCCD
    private const float L3 = 0.142857149f;     // 0x3E124925
    private const float L4 = 0.111111112f;     // 0x3DE38E39

    /// <summary>e^x.</summary>
    public static float Exp(float x)
    {
        if (float.IsNaN(x))
        {
            return x;
        }

        if (x > ExpOverflow)
        {
            return float.PositiveInfinity;
        }

        if (x < ExpUnderflow)
        {
            return 0f;
        }

        float t = x * Log2E;
        float k = (t + RoundingShifter) - RoundingShifter;
        float r = MathF.FusedMultiplyAdd(-k, Ln2Hi, x);
        r = MathF.FusedMultiplyAdd(-k, Ln2Lo, r);

        float p = E7;
        p = MathF.FusedMultiplyAdd(p, r, E6);
        p = MathF.FusedMultiplyAdd(p, r, E5);
        p = MathF.FusedMultiplyAdd(p, r, E4);
        p = MathF.FusedMultiplyAdd(p, r, E3);
        p = MathF.FusedMultiplyAdd(p, r, E2);
        p = MathF.FusedMultiplyAdd(p, r, 1f);
        p = MathF.FusedMultiplyAdd(p, r, 1f);

        // k lies in [-150, 128]; two factors 2^k1 * 2^k2, each in [2^-75, 2^64], are normal floats,
        // so p * 2^k1 is exact and only the last product rounds (also into the subnormal range).
        int ki = (int)k;
        int k1 = ki >> 1;
        int k2 = ki - k1;
        return p * PowerOfTwo(k1) * PowerOfTwo(k2);
    }

    /// <summary>The natural logarithm of x.</summary>
    public static float Log(float x)
    {
        if (float.IsNaN(x) || x < 0f)
        {
            return float.NaN;
        }

        if (x == 0f)
        {
            return float.NegativeInfinity;
        }

        if (float.IsPositiveInfinity(x))
        {
            return x;
        }

        int exponent = 0;
        int bits = BitConverter.SingleToInt32Bits(x);
        if (bits < 0x00800000)
        {
            x *= 33554432f; // 2^25 lifts a subnormal into the normal range
            bits = BitConverter.SingleToInt32Bits(x);
            exponent = -25;
        }

        exponent += (bits >> 23) - 127;
        float m = BitConverter.Int32BitsToSingle((bits & 0x007FFFFF) | 0x3F800000);
        if (m > Sqrt2)
        {
            m *= 0.5f;
            exponent += 1;
        }

        float f = m - 1f;
        float s = f / (2f + f);
        float z = s * s;
        float q = L4;
        q = MathF.FusedMultiplyAdd(q, z, L3);
        q = MathF.FusedMultiplyAdd(q, z, L2);
        q = MathF.FusedMultiplyAdd(q, z, L1);
        float twoS = s + s;
        float log1p = MathF.FusedMultiplyAdd(twoS * z, q, twoS);

        float e = exponent;
        float result = MathF.FusedMultiplyAdd(e, Ln2Lo, log1p);
        return MathF.FusedMultiplyAdd(e, Ln2Hi, result);
    }

    private static float PowerOfTwo(int k) => BitConverter.Int32BitsToSingle((k + 127) << 23);
}
