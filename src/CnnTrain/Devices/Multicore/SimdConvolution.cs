using System.Runtime.Intrinsics;
using CnnTrain.Devices.Sequential;

namespace CnnTrain.Devices.Multicore;

/// <summary>
/// The convolution block with SIMD, for one sample at a time (the device spreads samples over threads).
/// Unit stride without padding is vectorised; other geometries use the reference loops. Either way each
/// output follows the canonical chain of docs/numerics.md, so the bits equal the reference's.
/// </summary>
internal static unsafe class SimdConvolution
{
    private const int Width = 8; // Vector256<float> lanes

    public static bool IsVectorised(in Convolution2DDescriptor d) =>
        d.Stride == 1 && d.Padding == 0 && d.ConvolutionWidth >= Width;

    /// <summary>Conv + bias + activation + pool of one sample; <paramref name="plane"/> is scratch for one conv plane.</summary>
    public static void ForwardSample(
        in Convolution2DDescriptor d, ReadOnlySpan<float> x, ReadOnlySpan<float> weights, ReadOnlySpan<float> bias,
        Span<float> output, Span<int> poolIndices, Span<float> plane)
    {
        int planeSize = d.ConvolutionHeight * d.ConvolutionWidth;
        int outPlane = d.OutputHeight * d.OutputWidth;
        for (int f = 0; f < d.Filters; f++)
        {
            Span<float> z = plane[..planeSize];
            if (IsVectorised(d))
            {
                ConvolvePlane(d, x, weights, bias[f], f, z);
            }
            else
            {
                ReferenceConvolution.ConvolvePlane(d, x, weights, bias[f], f, z);
            }

            if (d.Activation == Activation.Relu)
            {
                ReferenceRelu.Forward(z, z);
            }

            if (d.HasPool)
            {
                ReferencePooling.ForwardPlane(d.Pool, z, output.Slice(f * outPlane, outPlane), poolIndices.Slice(f * outPlane, outPlane));
            }
            else
            {
                z.CopyTo(output.Slice(f * outPlane, outPlane));
            }
        }
    }

    /// <summary>
    /// Rows of one conv plane, 8 outputs per vector; each lane runs its own fma chain over (c, ky, kx).
    /// The last vector of a row may overlap the one before: overlapping lanes recompute identical values.
    /// </summary>
    private static void ConvolvePlane(in Convolution2DDescriptor d, ReadOnlySpan<float> x, ReadOnlySpan<float> weights, float bias, int f, Span<float> plane)
    {
        int k = d.KernelSize;
        int outW = d.ConvolutionWidth;
        int taps = d.InputChannels * k * k;
        ReadOnlySpan<float> w = weights.Slice(f * taps, taps);
        Vector256<float> b = Vector256.Create(bias);
        fixed (float* px = x, pw = w, pz = plane)
        {
            for (int oy = 0; oy < d.ConvolutionHeight; oy++)
            {
                for (int ox0 = 0; ox0 < outW; ox0 += Width)
                {
                    int ox = Math.Min(ox0, outW - Width);
                    Vector256<float> acc = Vector256<float>.Zero;
                    int t = 0;
                    for (int c = 0; c < d.InputChannels; c++)
                    {
                        for (int ky = 0; ky < k; ky++)
                        {
                            float* row = px + (((c * d.InputHeight) + oy + ky) * d.InputWidth) + ox;
                            for (int kx = 0; kx < k; kx++, t++)
                            {
                                acc = Vector256.FusedMultiplyAdd(Vector256.Create(pw[t]), Vector256.Load(row + kx), acc);
                            }
                        }
                    }

                    Vector256.Store(acc + b, pz + (oy * outW) + ox);
                }
            }
        }
    }

    /// <summary>
    /// One sample's filter partials and bias partials. The gradient of the conv output is laid out
    /// position-major (<paramref name="dzT"/>[position, filter]) so that 8 filters share one vector and each
    /// lane runs its own filter's fma chain over positions in row-major order.
    /// </summary>
    public static void FilterPartials(
        in Convolution2DDescriptor d, ReadOnlySpan<float> x, ReadOnlySpan<float> dz, Span<float> dzT,
        Span<float> weightPartial, Span<float> biasPartial)
    {
        int filters = d.Filters;
        int vectorFilters = IsVectorised(d) ? filters - (filters % Width) : 0;
        if (vectorFilters < filters)
        {
            ScalarPartials(d, x, dz, vectorFilters, weightPartial, biasPartial);
        }

        if (vectorFilters == 0)
        {
            return;
        }

        int positions = d.ConvolutionHeight * d.ConvolutionWidth;
        for (int f = 0; f < vectorFilters; f++)
        {
            ReadOnlySpan<float> g = dz.Slice(f * positions, positions);
            for (int p = 0; p < positions; p++)
            {
                dzT[(p * vectorFilters) + f] = g[p];
            }
        }

        int k = d.KernelSize;
        int taps = k * k;
        Span<Vector256<float>> acc = stackalloc Vector256<float>[taps];
        fixed (float* px = x, pg = dzT)
        {
            for (int c = 0; c < d.InputChannels; c++)
            {
                float* xc = px + (c * d.InputHeight * d.InputWidth);
                for (int f0 = 0; f0 < vectorFilters; f0 += Width)
                {
                    acc.Clear();
                    Vector256<float> bias = Vector256<float>.Zero;
                    for (int oy = 0; oy < d.ConvolutionHeight; oy++)
                    {
                        for (int ox = 0; ox < d.ConvolutionWidth; ox++)
                        {
                            Vector256<float> g = Vector256.Load(pg + (((oy * d.ConvolutionWidth) + ox) * vectorFilters) + f0);
                            if (c == 0)
                            {
                                bias += g;
                            }

                            float* window = xc + (oy * d.InputWidth) + ox;
                            int t = 0;
                            for (int ky = 0; ky < k; ky++)
                            {
                                for (int kx = 0; kx < k; kx++, t++)
                                {
                                    acc[t] = Vector256.FusedMultiplyAdd(g, Vector256.Create(window[(ky * d.InputWidth) + kx]), acc[t]);
                                }
                            }
                        }
                    }

                    for (int lane = 0; lane < Width; lane++)
                    {
                        int f = f0 + lane;
                        for (int t2 = 0; t2 < taps; t2++)
                        {
                            weightPartial[(((f * d.InputChannels) + c) * taps) + t2] = acc[t2].GetElement(lane);
                        }

                        if (c == 0)
                        {
                            biasPartial[f] = bias.GetElement(lane);
                        }
                    }
                }
            }
        }
    }

    // Filters that do not fill a vector (or geometries that are not vectorised) take the reference chain.
    private static void ScalarPartials(in Convolution2DDescriptor d, ReadOnlySpan<float> x, ReadOnlySpan<float> dz, int firstFilter, Span<float> weightPartial, Span<float> biasPartial)
    {
        int count = d.Filters - firstFilter;
        var tail = new Convolution2DDescriptor(
            d.InputChannels, d.InputHeight, d.InputWidth, count, d.KernelSize, d.Stride, d.Padding);
        int positions = d.ConvolutionHeight * d.ConvolutionWidth;
        int taps = d.InputChannels * d.KernelSize * d.KernelSize;
        ReferenceConvolution.FilterPartials(
            tail, x, dz.Slice(firstFilter * positions, count * positions),
            weightPartial.Slice(firstFilter * taps, count * taps), biasPartial.Slice(firstFilter, count));
    }
}
