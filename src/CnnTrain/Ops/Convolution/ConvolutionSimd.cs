using System.Runtime.Intrinsics;
using CnnTrain.Devices.Cpu;

namespace CnnTrain.Ops;

/// <summary>
/// The convolution block with SIMD, one sample at a time (the device spreads samples over threads).
/// Unit stride without padding is vectorised: 8 neighbouring outputs per vector, several vectors in flight
/// so the fma chains overlap; ReLU is a select and 2×2/2 pooling compares whole rows of windows. Other
/// geometries use the reference loops. Each output still follows its own canonical chain
/// (docs/numerics.md), so the bits equal the reference's.
/// </summary>
internal static unsafe class ConvolutionSimd
{
    private const int Width = 8; // Vector256<float> lanes

    /// <summary>The forward pass, a sample per task.</summary>
    public static void Forward(CpuDevice cpu, in ConvolutionForward op)
    {
        Convolution2DDescriptor d = op.Geometry;
        fixed (float* pi = CpuDevice.Span(op.Input), pw = CpuDevice.Span(op.Weights), pb = CpuDevice.Span(op.Bias), po = CpuDevice.Span(op.Output))
        fixed (int* px = CpuDevice.Span(op.PoolIndices))
        {
            var x = new RawSpan<float>(pi, op.Input.Length);
            var w = new RawSpan<float>(pw, op.Weights.Length);
            var b = new RawSpan<float>(pb, op.Bias.Length);
            var y = new RawSpan<float>(po, op.Output.Length);
            var idx = new RawSpan<int>(px, op.PoolIndices.Length);
            int planeSize = d.ConvolutionHeight * d.ConvolutionWidth;
            cpu.ForEachSample(op.Batch, () => new float[planeSize], (n, plane) => ForwardSample(
                d, x.Slice(n * d.InputSize, d.InputSize), w.Span, b.Span, y.Slice(n * d.OutputSize, d.OutputSize),
                idx.IsEmpty ? default : idx.Slice(n * d.OutputSize, d.OutputSize), plane));
        }
    }

    /// <summary>The backward pass, a sample per task: its filter partials, then its input gradient.</summary>
    public static void Backward(CpuDevice cpu, in ConvolutionBackward op)
    {
        Convolution2DDescriptor d = op.Geometry;
        fixed (float* pi = CpuDevice.Span(op.Input), pw = CpuDevice.Span(op.Weights), po = CpuDevice.Span(op.Output), pg = CpuDevice.Span(op.OutputGradient))
        fixed (float* pwp = CpuDevice.Span(op.WeightPartials), pbp = CpuDevice.Span(op.BiasPartials), pdx = CpuDevice.Span(op.InputGradient))
        fixed (int* px = CpuDevice.Span(op.PoolIndices))
        {
            var x = new RawSpan<float>(pi, op.Input.Length);
            var w = new RawSpan<float>(pw, op.Weights.Length);
            var y = new RawSpan<float>(po, op.Output.Length);
            var idx = new RawSpan<int>(px, op.PoolIndices.Length);
            var dy = new RawSpan<float>(pg, op.OutputGradient.Length);
            var wp = new RawSpan<float>(pwp, op.WeightPartials.Length);
            var bp = new RawSpan<float>(pbp, op.BiasPartials.Length);
            var dx = new RawSpan<float>(pdx, op.InputGradient.Length);
            cpu.ForEachSample(op.Batch, () => new float[2 * d.ConvolutionSize], (n, scratch) =>
            {
                Span<float> dz = scratch.AsSpan(0, d.ConvolutionSize);
                Span<float> dzT = scratch.AsSpan(d.ConvolutionSize, d.ConvolutionSize);
                int o = n * d.OutputSize;
                ReadOnlySpan<float> sample = x.Slice(n * d.InputSize, d.InputSize);
                ReadOnlySpan<float> outputs = y.Slice(o, d.OutputSize);
                ReadOnlySpan<int> winners = idx.IsEmpty ? default : idx.Slice(o, d.OutputSize);
                ReadOnlySpan<float> gradient = dy.Slice(o, d.OutputSize);
                Span<float> weightPartial = wp.Slice(n * d.WeightCount, d.WeightCount);
                Span<float> biasPartial = bp.Slice(n * d.Filters, d.Filters);
                bool shortcut = TakesPooledShortcut(d);
                if (shortcut)
                {
                    FilterPartialsFromPool(d, sample, outputs, winners, gradient, dzT, weightPartial, biasPartial);
                }

                if (!shortcut || !dx.IsEmpty)
                {
                    ConvolutionReference.ConvolutionGradient(d, outputs, winners, gradient, dz);
                }

                if (!shortcut)
                {
                    FilterPartials(d, sample, dz, dzT, weightPartial, biasPartial);
                }

                if (!dx.IsEmpty)
                {
                    ConvolutionReference.InputGradient(d, w.Span, dz, dx.Slice(n * d.InputSize, d.InputSize));
                }
            });
        }
    }

    public static bool IsVectorised(in Convolution2DDescriptor d) =>
        d.Stride == 1 && d.Padding == 0 && d.ConvolutionWidth >= Width;

    /// <summary>Conv + bias + activation + pool of one sample; <paramref name="plane"/> is scratch for one conv plane.</summary>
    public static void ForwardSample(
        in Convolution2DDescriptor d, ReadOnlySpan<float> x, ReadOnlySpan<float> weights, ReadOnlySpan<float> bias,
        Span<float> output, Span<int> poolIndices, Span<float> plane)
    {
        int planeSize = d.ConvolutionHeight * d.ConvolutionWidth;
        int outPlane = d.OutputHeight * d.OutputWidth;
        bool vectorised = IsVectorised(d);
        Pool2DDescriptor? pool = d.HasPool ? d.Pool : null;
        for (int f = 0; f < d.Filters; f++)
        {
            Span<float> z = plane[..planeSize];
            if (vectorised)
            {
                ConvolvePlane(d, x, weights, bias[f], f, z);
            }
            else
            {
                ConvolutionReference.ConvolvePlane(d, x, weights, bias[f], f, z);
                if (d.Activation == Activation.Relu)
                {
                    ReluReference.Forward(z, z);
                }
            }

            Span<float> y = output.Slice(f * outPlane, outPlane);
            if (pool is not Pool2DDescriptor p)
            {
                z.CopyTo(y);
            }
            else if (p.Size == 2 && p.Stride == 2 && p.InputWidth >= 16)
            {
                Pool2x2(p, z, y, poolIndices.Slice(f * outPlane, outPlane));
            }
            else
            {
                MaxPoolReference.ForwardPlane(p, z, y, poolIndices.Slice(f * outPlane, outPlane));
            }
        }
    }

    /// <summary>
    /// One conv plane (with bias and activation), a row at a time: the row's vectors share each weight
    /// broadcast, and their independent chains interleave. The last vector of a row may overlap the one
    /// before it; overlapping lanes recompute identical values.
    /// </summary>
    private static void ConvolvePlane(in Convolution2DDescriptor d, ReadOnlySpan<float> x, ReadOnlySpan<float> weights, float bias, int f, Span<float> plane)
    {
        int k = d.KernelSize;
        int outW = d.ConvolutionWidth;
        int taps = d.InputChannels * k * k;
        int vectors = (outW + Width - 1) / Width;
        ReadOnlySpan<float> w = weights.Slice(f * taps, taps);
        Vector256<float> b = Vector256.Create(bias);
        bool relu = d.Activation == Activation.Relu;
        Span<int> starts = stackalloc int[vectors];
        for (int v = 0; v < vectors; v++)
        {
            starts[v] = Math.Min(v * Width, outW - Width);
        }

        fixed (float* px = x, pw = w, pz = plane)
        {
            for (int oy = 0; oy < d.ConvolutionHeight; oy++)
            {
                // Four vectors at a time keep four fma chains in flight.
                for (int v0 = 0; v0 < vectors; v0 += 4)
                {
                    int o0 = starts[v0];
                    int o1 = starts[Math.Min(v0 + 1, vectors - 1)];
                    int o2 = starts[Math.Min(v0 + 2, vectors - 1)];
                    int o3 = starts[Math.Min(v0 + 3, vectors - 1)];
                    Vector256<float> a0 = Vector256<float>.Zero, a1 = a0, a2 = a0, a3 = a0;
                    int t = 0;
                    for (int c = 0; c < d.InputChannels; c++)
                    {
                        for (int ky = 0; ky < k; ky++)
                        {
                            float* row = px + (((c * d.InputHeight) + oy + ky) * d.InputWidth);
                            for (int kx = 0; kx < k; kx++, t++)
                            {
                                Vector256<float> wt = Vector256.Create(pw[t]);
                                a0 = Vector256.FusedMultiplyAdd(wt, Vector256.Load(row + o0 + kx), a0);
                                a1 = Vector256.FusedMultiplyAdd(wt, Vector256.Load(row + o1 + kx), a1);
                                a2 = Vector256.FusedMultiplyAdd(wt, Vector256.Load(row + o2 + kx), a2);
                                a3 = Vector256.FusedMultiplyAdd(wt, Vector256.Load(row + o3 + kx), a3);
                            }
                        }
                    }

                    float* z = pz + (oy * outW);
                    Vector256.Store(Activate(a0 + b, relu), z + o0);
                    Vector256.Store(Activate(a1 + b, relu), z + o1);
                    Vector256.Store(Activate(a2 + b, relu), z + o2);
                    Vector256.Store(Activate(a3 + b, relu), z + o3);
                }
            }
        }
    }

    // z > 0 ? z : +0, as a select (a compare and a mask), like the reference's ternary.
    private static Vector256<float> Activate(Vector256<float> z, bool relu) =>
        relu ? Vector256.ConditionalSelect(Vector256.GreaterThan(z, Vector256<float>.Zero), z, Vector256<float>.Zero) : z;

    /// <summary>
    /// 2×2 windows with stride 2, eight windows per vector: the window's four values are split into
    /// even/odd columns of its two rows and compared in row-major order with strict "greater", so the
    /// first maximum wins exactly as in the reference.
    /// </summary>
    private static void Pool2x2(in Pool2DDescriptor p, ReadOnlySpan<float> plane, Span<float> output, Span<int> indices)
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

    /// <summary>
    /// Whether <see cref="FilterPartialsFromPool"/> applies: a vectorised block whose pool windows do not
    /// overlap and whose filters fill whole vectors.
    /// </summary>
    public static bool TakesPooledShortcut(in Convolution2DDescriptor d) =>
        IsVectorised(d) && d.HasPool && d.PoolStride >= d.PoolSize && d.Filters % Width == 0;

    /// <summary>
    /// Filter and bias partials straight from the pooled gradient: each window's (masked) gradient is put
    /// at its winner in the position-major layout, the rest of which is zero. Equal to routing through the
    /// plane-major gradient first, because zero terms leave the chains unchanged (docs/numerics.md).
    /// </summary>
    public static void FilterPartialsFromPool(
        in Convolution2DDescriptor d, ReadOnlySpan<float> x, ReadOnlySpan<float> output, ReadOnlySpan<int> poolIndices,
        ReadOnlySpan<float> outputGradient, Span<float> dzT, Span<float> weightPartial, Span<float> biasPartial)
    {
        int filters = d.Filters;
        int outPlane = d.OutputHeight * d.OutputWidth;
        bool relu = d.Activation == Activation.Relu;
        dzT.Clear();
        for (int f = 0; f < filters; f++)
        {
            ReadOnlySpan<float> y = output.Slice(f * outPlane, outPlane);
            ReadOnlySpan<float> g = outputGradient.Slice(f * outPlane, outPlane);
            ReadOnlySpan<int> winner = poolIndices.Slice(f * outPlane, outPlane);
            for (int p = 0; p < outPlane; p++)
            {
                dzT[(winner[p] * filters) + f] = relu && !(y[p] > 0f) ? 0f : g[p];
            }
        }

        Partials(d, x, dzT, filters, weightPartial, biasPartial);
    }

    /// <summary>
    /// One sample's filter partials and bias partials, 8 filters per vector. <paramref name="dzT"/> receives
    /// the gradient of the conv output position-major ([position, filter]); each lane runs its own filter's
    /// fma chain over positions in row-major order, with the taps' chains held in registers for 3×3 kernels.
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

        Transpose(dz, d.ConvolutionHeight * d.ConvolutionWidth, vectorFilters, dzT);
        Partials(d, x, dzT, vectorFilters, weightPartial, biasPartial);
    }

    private static void Partials(in Convolution2DDescriptor d, ReadOnlySpan<float> x, ReadOnlySpan<float> dzT, int vectorFilters, Span<float> weightPartial, Span<float> biasPartial)
    {
        int k = d.KernelSize;
        for (int c = 0; c < d.InputChannels; c++)
        {
            ReadOnlySpan<float> xc = x.Slice(c * d.InputHeight * d.InputWidth, d.InputHeight * d.InputWidth);
            for (int f0 = 0; f0 < vectorFilters; f0 += Width)
            {
                if (k == 3)
                {
                    Partials3x3(d, xc, dzT, vectorFilters, f0, c, weightPartial, c == 0 ? biasPartial : default);
                }
                else
                {
                    PartialsAnyKernel(d, xc, dzT, vectorFilters, f0, c, weightPartial, c == 0 ? biasPartial : default);
                }
            }
        }
    }

    private static void Transpose(ReadOnlySpan<float> dz, int positions, int filters, Span<float> dzT)
    {
        for (int f = 0; f < filters; f++)
        {
            ReadOnlySpan<float> g = dz.Slice(f * positions, positions);
            for (int p = 0; p < positions; p++)
            {
                dzT[(p * filters) + f] = g[p];
            }
        }
    }

    private static void Partials3x3(
        in Convolution2DDescriptor d, ReadOnlySpan<float> xc, ReadOnlySpan<float> dzT, int filters, int f0, int c,
        Span<float> weightPartial, Span<float> biasPartial)
    {
        int inW = d.InputWidth;
        Vector256<float> t0 = Vector256<float>.Zero, t1 = t0, t2 = t0, t3 = t0, t4 = t0, t5 = t0, t6 = t0, t7 = t0, t8 = t0, bias = t0;
        fixed (float* px = xc, pg = dzT)
        {
            for (int oy = 0; oy < d.ConvolutionHeight; oy++)
            {
                float* g = pg + (oy * d.ConvolutionWidth * filters) + f0;
                float* r0 = px + (oy * inW);
                float* r1 = r0 + inW;
                float* r2 = r1 + inW;
                for (int ox = 0; ox < d.ConvolutionWidth; ox++, g += filters)
                {
                    Vector256<float> v = Vector256.Load(g);
                    bias += v;
                    t0 = Vector256.FusedMultiplyAdd(v, Vector256.Create(r0[ox]), t0);
                    t1 = Vector256.FusedMultiplyAdd(v, Vector256.Create(r0[ox + 1]), t1);
                    t2 = Vector256.FusedMultiplyAdd(v, Vector256.Create(r0[ox + 2]), t2);
                    t3 = Vector256.FusedMultiplyAdd(v, Vector256.Create(r1[ox]), t3);
                    t4 = Vector256.FusedMultiplyAdd(v, Vector256.Create(r1[ox + 1]), t4);
                    t5 = Vector256.FusedMultiplyAdd(v, Vector256.Create(r1[ox + 2]), t5);
                    t6 = Vector256.FusedMultiplyAdd(v, Vector256.Create(r2[ox]), t6);
                    t7 = Vector256.FusedMultiplyAdd(v, Vector256.Create(r2[ox + 1]), t7);
                    t8 = Vector256.FusedMultiplyAdd(v, Vector256.Create(r2[ox + 2]), t8);
                }
            }
        }

        Span<Vector256<float>> taps = [t0, t1, t2, t3, t4, t5, t6, t7, t8];
        Scatter(d, taps, bias, f0, c, weightPartial, biasPartial);
    }

    private static void PartialsAnyKernel(
        in Convolution2DDescriptor d, ReadOnlySpan<float> xc, ReadOnlySpan<float> dzT, int filters, int f0, int c,
        Span<float> weightPartial, Span<float> biasPartial)
    {
        int k = d.KernelSize;
        Span<Vector256<float>> acc = stackalloc Vector256<float>[k * k];
        acc.Clear();
        Vector256<float> bias = Vector256<float>.Zero;
        fixed (float* px = xc, pg = dzT)
        {
            for (int oy = 0; oy < d.ConvolutionHeight; oy++)
            {
                for (int ox = 0; ox < d.ConvolutionWidth; ox++)
                {
                    Vector256<float> v = Vector256.Load(pg + (((oy * d.ConvolutionWidth) + ox) * filters) + f0);
                    bias += v;
                    float* window = px + (oy * d.InputWidth) + ox;
                    for (int ky = 0, t = 0; ky < k; ky++)
                    {
                        for (int kx = 0; kx < k; kx++, t++)
                        {
                            acc[t] = Vector256.FusedMultiplyAdd(v, Vector256.Create(window[(ky * d.InputWidth) + kx]), acc[t]);
                        }
                    }
                }
            }
        }

        Scatter(d, acc, bias, f0, c, weightPartial, biasPartial);
    }

    private static void Scatter(
        in Convolution2DDescriptor d, ReadOnlySpan<Vector256<float>> taps, Vector256<float> bias, int f0, int c,
        Span<float> weightPartial, Span<float> biasPartial)
    {
        int count = taps.Length;
        for (int lane = 0; lane < Width; lane++)
        {
            int f = f0 + lane;
            for (int t = 0; t < count; t++)
            {
                weightPartial[(((f * d.InputChannels) + c) * count) + t] = taps[t].GetElement(lane);
            }

            if (!biasPartial.IsEmpty)
            {
                biasPartial[f] = bias.GetElement(lane);
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
        ConvolutionReference.FilterPartials(
            tail, x, dz.Slice(firstFilter * positions, count * positions),
            weightPartial.Slice(firstFilter * taps, count * taps), biasPartial.Slice(firstFilter, count));
    }
}
