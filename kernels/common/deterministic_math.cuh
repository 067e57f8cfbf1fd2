// exp and log from correctly rounded float operations only: the CUDA twin of
// src/CnnTrain/Numerics/DeterministicMath.cs. Same constants, same operation sequence, so the same bits.
// Change both files together (docs/numerics.md, "exp" and "log").
#pragma once

__device__ __forceinline__ float dm_power_of_two(int k)
{
    return __int_as_float((k + 127) << 23);
}

__device__ __forceinline__ float dm_exp(float x)
{
    if (isnan(x)) return x;
    if (x > 88.7228394f) return __int_as_float(0x7F800000);
    if (x < -103.972084f) return 0.0f;

    float t = x * 1.44269502f;
    float k = (t + 12582912.0f) - 12582912.0f;  // round to nearest integer, ties to even
    float r = __fmaf_rn(-k, 0.693145752f, x);
    r = __fmaf_rn(-k, 1.42860677e-06f, r);

    float p = 0.000198412701f;
    p = __fmaf_rn(p, r, 0.00138888892f);
    p = __fmaf_rn(p, r, 0.00833333377f);
    p = __fmaf_rn(p, r, 0.0416666679f);
    p = __fmaf_rn(p, r, 0.166666672f);
    p = __fmaf_rn(p, r, 0.5f);
    p = __fmaf_rn(p, r, 1.0f);
    p = __fmaf_rn(p, r, 1.0f);

    // Two normal powers of two, so that only the last product rounds (also into subnormals).
    int ki = (int)k;
    int k1 = ki >> 1;
    int k2 = ki - k1;
    return (p * dm_power_of_two(k1)) * dm_power_of_two(k2);
}

__device__ __forceinline__ float dm_log(float x)
{
    // 0xFFC00000 is .NET's float.NaN, so an explicit NaN has the same bits on both sides.
    if (isnan(x) || x < 0.0f) return __int_as_float(0xFFC00000);
    if (x == 0.0f) return __int_as_float(0xFF800000);
    if (isinf(x)) return x;

    int exponent = 0;
    int bits = __float_as_int(x);
    if (bits < 0x00800000)
    {
        x = x * 33554432.0f;
        bits = __float_as_int(x);
        exponent = -25;
    }

    exponent += (bits >> 23) - 127;
    float m = __int_as_float((bits & 0x007FFFFF) | 0x3F800000);
    if (m > 1.41421354f)
    {
        m = m * 0.5f;
        exponent += 1;
    }

    float f = m - 1.0f;
    float s = f / (2.0f + f);
    float z = s * s;
    float q = 0.111111112f;
    q = __fmaf_rn(q, z, 0.142857149f);
    q = __fmaf_rn(q, z, 0.200000003f);
    q = __fmaf_rn(q, z, 0.333333343f);
    float two_s = s + s;
    float log1p = __fmaf_rn(two_s * z, q, two_s);

    float e = (float)exponent;
    float result = __fmaf_rn(e, 1.42860677e-06f, log1p);
    return __fmaf_rn(e, 0.693145752f, result);
}
