using System.Runtime.CompilerServices;
using CnnTrain.Devices.Cpu;

namespace CnnTrain.Ops;

/// <summary>
/// The convolution block on the Multicore device, for every geometry: each of its three sums is a product
/// (<see cref="ConvolutionGemm"/>) whose k-loop is exactly the canonical chain of docs/numerics.md, so the bits
/// equal the reference's:
/// <list type="bullet">
/// <item>forward: z[f, p] = Σ_t w[f, t] · x[tap t of p], t = (c, ky, kx) ascending;</item>
/// <item>filter partials: P[f, t] = Σ_p dz[f, p] · x[tap t of p], p = (oy, ox) row-major;</item>
/// <item>input gradient: dx[c, q] = Σ_t' w[f, c, ky, kx] · dz[tap t' of q], t' = (f, ky, kx) ascending.</item>
/// </list>
/// x and dz are read through a padded image of each sample (<see cref="ConvolutionPanels"/>) and offset tables
/// (<see cref="ConvolutionGrid"/>); the input gradient is one product per stride phase
/// (<see cref="ConvolutionGradientPhase"/>). Each product runs its lanes along whichever side costs less.
/// Samples (in the forward pass of a small batch, a sample's tiles of filters; in the backward pass, a sample's
/// partials and its input gradient) are the work items of one parallel loop per operation; scratch is per thread and kept (<see cref="ConvolutionScratch"/>), so a step allocates
/// nothing once the workers have seen the largest geometry.
/// </summary>
internal static unsafe partial class ConvolutionSimd
{
    /// <summary>The forward pass, a sample's tile of filters per work item (<see cref="FilterTile"/>).</summary>
    public static void Forward(CpuDevice cpu, in ConvolutionForward op)
    {
        Convolution2DDescriptor d = op.Geometry;
        ConvolutionGrid g = ConvolutionGrid.Of(d);
        fixed (float* pi = CpuDevice.Span(op.Input), pw = CpuDevice.Span(op.Weights), pb = CpuDevice.Span(op.Bias), po = CpuDevice.Span(op.Output))
        fixed (int* px = CpuDevice.Span(op.PoolIndices))
        {
            var x = new RawSpan<float>(pi, op.Input.Length);
            var b = new RawSpan<float>(pb, op.Bias.Length);
            var y = new RawSpan<float>(po, op.Output.Length);
            var idx = new RawSpan<int>(px, op.PoolIndices.Length);
            float[]? packed = null;
            if (!g.ForwardByPositions)
            {
                // w as a (taps × filters) matrix, so that a vector holds neighbouring filters.
                packed = ConvolutionScratch.Weights(g.Taps * g.FilterColumns);
                ConvolutionPanels.PackWeights(d, CpuDevice.Span(op.Weights), packed, 1, g.KernelTaps * g.FilterColumns, g.FilterColumns);
            }

            fixed (float* pp = packed)
            {
                var w = new RawSpan<float>(packed is null ? pw : pp, packed?.Length ?? op.Weights.Length);
                int tile = FilterTile(d, g, op.Batch, cpu.Threads);
                int tiles = (d.Filters + tile - 1) / tile;
                cpu.For(op.Batch * tiles, item =>
                {
                    int n = item / tiles, f0 = item % tiles * tile;
                    ForwardSample(
                        d, g, x.Pointer + ((long)n * d.InputSize), w.Pointer, b.Span, f0, Math.Min(d.Filters, f0 + tile),
                        y.Slice(n * d.OutputSize, d.OutputSize), idx.IsEmpty ? default : idx.Slice(n * d.OutputSize, d.OutputSize));
                });
            }
        }
    }

    /// <summary>
    /// Filters per forward work item: all of them unless the batch is too small to keep every thread busy to
    /// the end (100 samples on 16 threads leave a seventh round that 4 threads run), then whole register blocks
    /// of filters, so that there are about eight items per thread. A filter's chains are the same in any tile,
    /// so the split changes no bit; each tile rebuilds the sample's padded image, a small copy beside its product.
    /// </summary>
    private static int FilterTile(in Convolution2DDescriptor d, ConvolutionGrid g, int batch, int threads)
    {
        int wanted = (8 * threads + batch - 1) / batch;
        if (threads == 1 || wanted <= 1)
        {
            return d.Filters;
        }

        // Along rows of the product (positions lanes) a tile is whole row blocks, along its lanes whole column blocks.
        int unit = g.ForwardByPositions ? ConvolutionGemm.RowBlock : ConvolutionGemm.ColumnBlock;
        int units = (d.Filters + unit - 1) / unit;
        int perTile = (units + Math.Min(wanted, units) - 1) / Math.Min(wanted, units);
        return Math.Min(d.Filters, perTile * unit);
    }

    /// <summary>Conv + bias + activation + pool of filters [<paramref name="f0"/>, <paramref name="f1"/>) of one sample.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ForwardSample(
        in Convolution2DDescriptor d, ConvolutionGrid g, float* x, float* w, ReadOnlySpan<float> bias, int f0, int f1,
        Span<float> output, Span<int> poolIndices)
    {
        int positions = g.Positions, filters = d.Filters, count = f1 - f0;
        bool relu = d.Activation == Activation.Relu;
        Span<float> planes = d.HasPool ? ConvolutionScratch.Gradient(filters * positions).AsSpan(0, filters * positions) : output;
        float[] image = ConvolutionScratch.Image(g.ImageLength);
        fixed (float* pz = planes, pb = bias, pi = image)
        fixed (int* taps = g.TapOffsets, units = g.Units, positionsAt = g.PositionOffsets, filterRows = g.FilterRows, tapRows = g.TapRows)
        {
            ConvolutionPanels.InputImage(d, g, x, pi);
            if (g.ForwardByPositions)
            {
                // z = w (filters × taps) · image taps (taps × grid positions): lanes are neighbouring positions.
                int columns = g.ImageColumns;
                float[] product = ConvolutionScratch.Product(count * columns);
                fixed (float* pc = product)
                {
                    ConvolutionGemm.Multiply(w, filterRows + f0, units, count, pi, taps, g.Taps, columns, pc, columns);
                    for (int f = f0; f < f1; f++)
                    {
                        float* row = pc + ((long)(f - f0) * columns);
                        ConvolutionVectors.BiasActivate(row, columns, pb[f], relu);
                        float* plane = pz + ((long)f * positions);
                        for (int oy = 0; oy < d.ConvolutionHeight; oy++)
                        {
                            new ReadOnlySpan<float>(row + g.PositionOffset(oy, 0), d.ConvolutionWidth)
                                .CopyTo(new Span<float>(plane + (oy * d.ConvolutionWidth), d.ConvolutionWidth));
                        }
                    }
                }
            }
            else
            {
                // zᵀ = image taps (positions × taps) · packed w (taps × filters): lanes are neighbouring filters.
                // A tile is whole column blocks of the packed w (f0 is a multiple of them), so its lanes are its filters.
                int columns = ConvolutionGemm.PaddedColumns(count);
                float[] product = ConvolutionScratch.Product(positions * columns);
                float* lanesBias = stackalloc float[columns];
                new ReadOnlySpan<float>(pb + f0, count).CopyTo(new Span<float>(lanesBias, columns));
                fixed (float* pc = product)
                {
                    ConvolutionGemm.Multiply(pi, positionsAt, taps, positions, w + f0, tapRows, g.Taps, columns, pc, columns);
                    for (int p = 0; p < positions; p++)
                    {
                        ConvolutionVectors.BiasActivate(pc + ((long)p * columns), columns, lanesBias, relu);
                    }

                    ConvolutionVectors.Transpose(pc, columns, positions, count, pz + ((long)f0 * positions), positions);
                }
            }
        }

        if (d.HasPool)
        {
            Pool(d, positions, planes, f0, f1, output, poolIndices);
        }
    }

    private static void Pool(in Convolution2DDescriptor d, int positions, Span<float> planes, int f0, int f1, Span<float> output, Span<int> poolIndices)
    {
        Pool2DDescriptor pool = d.Pool;
        int outPlane = d.OutputHeight * d.OutputWidth;
        bool vectorPool = ConvolutionPool2x2.Applies(pool), lanesPool = MaxPoolLanes.Applies(pool);
        for (int f = f0; f < f1; f++)
        {
            Span<float> z = planes.Slice(f * positions, positions);
            Span<float> y = output.Slice(f * outPlane, outPlane);
            Span<int> winners = poolIndices.Slice(f * outPlane, outPlane);
            if (vectorPool)
            {
                ConvolutionPool2x2.Forward(pool, z, y, winners);
            }
            else if (lanesPool)
            {
                MaxPoolLanes.ForwardPlane(pool, z, y, winners);
            }
            else
            {
                MaxPoolReference.ForwardPlane(pool, z, y, winners);
            }
        }
    }
}
