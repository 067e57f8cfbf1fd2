using System.Runtime.CompilerServices;
using CnnTrain.Devices.Cpu;

namespace CnnTrain.Ops;

/// <summary>
/// The convolution block on the Multicore device, for every geometry: each of its three sums is a product of
/// two matrices (<see cref="ConvolutionGemm"/>) built from one sample (<see cref="ConvolutionPanels"/>), whose
/// k-loop is exactly the canonical chain of docs/numerics.md, so the bits equal the reference's.
/// <list type="bullet">
/// <item>forward: z[f, p] = Σ_t w[f, t] · patch[t, p], t = (c, ky, kx) ascending;</item>
/// <item>filter partials: P[f, t] = Σ_p dz[f, p] · patch[t, p], p = (oy, ox) row-major;</item>
/// <item>input gradient: dx[c, q] = Σ_t' w[f, c, ky, kx] · tap[t', q], t' = (f, ky, kx) ascending.</item>
/// </list>
/// Each product runs with its lanes along whichever side wastes fewer padding lanes. Samples are the work
/// items of one parallel loop per operation; scratch is per thread and kept (<see cref="ConvolutionScratch"/>).
/// </summary>
internal static unsafe partial class ConvolutionSimd
{
    /// <summary>The forward pass, a sample per work item.</summary>
    public static void Forward(CpuDevice cpu, in ConvolutionForward op)
    {
        Convolution2DDescriptor d = op.Geometry;
        var shape = new Shape(d);
        fixed (float* pi = CpuDevice.Span(op.Input), pw = CpuDevice.Span(op.Weights), pb = CpuDevice.Span(op.Bias), po = CpuDevice.Span(op.Output))
        fixed (int* px = CpuDevice.Span(op.PoolIndices))
        {
            var x = new RawSpan<float>(pi, op.Input.Length);
            var b = new RawSpan<float>(pb, op.Bias.Length);
            var y = new RawSpan<float>(po, op.Output.Length);
            var idx = new RawSpan<int>(px, op.PoolIndices.Length);
            bool byPositions = ConvolutionGemm.Work(d.Filters, shape.Positions) <= ConvolutionGemm.Work(shape.Positions, d.Filters);
            float[]? packed = null;
            if (!byPositions)
            {
                // w as a (taps × filters) matrix, so that a vector holds neighbouring filters.
                int filters = ConvolutionGemm.PaddedColumns(d.Filters);
                packed = ConvolutionScratch.Weights(shape.Taps * filters);
                ConvolutionPanels.PackWeights(d, CpuDevice.Span(op.Weights), packed, 1, shape.KernelTaps * filters, filters);
            }

            fixed (float* pp = packed)
            {
                var w = new RawSpan<float>(byPositions ? pw : pp, byPositions ? op.Weights.Length : packed!.Length);
                cpu.For(op.Batch, n => ForwardSample(
                    d, shape, byPositions, x.Pointer + ((long)n * d.InputSize), w.Pointer, b.Span, y.Slice(n * d.OutputSize, d.OutputSize),
                    idx.IsEmpty ? default : idx.Slice(n * d.OutputSize, d.OutputSize)));
            }
        }
    }

    /// <summary>Conv + bias + activation + pool of one sample.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ForwardSample(
        in Convolution2DDescriptor d, Shape shape, bool byPositions, float* x, float* w, ReadOnlySpan<float> bias, Span<float> output, Span<int> poolIndices)
    {
        int positions = shape.Positions, taps = shape.Taps, filters = d.Filters;
        bool relu = d.Activation == Activation.Relu;
        int outPlane = d.OutputHeight * d.OutputWidth;
        Span<float> planes = d.HasPool ? ConvolutionScratch.Gradient(filters * positions).AsSpan(0, filters * positions) : output;
        fixed (float* pz = planes, pb = bias)
        {
            if (byPositions)
            {
                // z = w (filters × taps) · patches (taps × positions): lanes are neighbouring positions.
                int columns = ConvolutionGemm.PaddedColumns(positions);
                float[] panel = ConvolutionScratch.Panel(taps * columns);
                float[] product = ConvolutionScratch.Product(filters * columns);
                fixed (float* pa = panel, pc = product)
                {
                    ConvolutionPanels.InputPatches(d, x, pa, columns, 1);
                    ConvolutionGemm.Multiply(w, taps, 1, filters, pa, columns, taps, columns, pc, columns, skipZeroA: false);
                    for (int f = 0; f < filters; f++)
                    {
                        float* row = pc + ((long)f * columns);
                        ConvolutionVectors.BiasActivate(row, columns, pb[f], relu);
                        new ReadOnlySpan<float>(row, positions).CopyTo(planes.Slice(f * positions, positions));
                    }
                }
            }
            else
            {
                // zᵀ = patchesᵀ (positions × taps) · packed w (taps × filters): lanes are neighbouring filters.
                int columns = ConvolutionGemm.PaddedColumns(filters);
                float[] panel = ConvolutionScratch.Panel(positions * taps);
                float[] product = ConvolutionScratch.Product(positions * columns);
                float* lanesBias = stackalloc float[columns];
                new ReadOnlySpan<float>(pb, filters).CopyTo(new Span<float>(lanesBias, columns));
                fixed (float* pa = panel, pc = product)
                {
                    ConvolutionPanels.InputPatches(d, x, pa, 1, taps);
                    ConvolutionGemm.Multiply(pa, taps, 1, positions, w, columns, taps, columns, pc, columns, skipZeroA: true);
                    for (int p = 0; p < positions; p++)
                    {
                        ConvolutionVectors.BiasActivate(pc + ((long)p * columns), columns, lanesBias, relu);
                    }

                    ConvolutionVectors.Transpose(pc, columns, positions, filters, pz, positions);
                }
            }
        }

        if (!d.HasPool)
        {
            return;
        }

        Pool2DDescriptor pool = d.Pool;
        bool vectorPool = ConvolutionPool2x2.Applies(pool);
        for (int f = 0; f < filters; f++)
        {
            Span<float> z = planes.Slice(f * positions, positions);
            Span<float> y = output.Slice(f * outPlane, outPlane);
            Span<int> winners = poolIndices.Slice(f * outPlane, outPlane);
            if (vectorPool)
            {
                ConvolutionPool2x2.Forward(pool, z, y, winners);
            }
            else
            {
                MaxPoolReference.ForwardPlane(pool, z, y, winners);
            }
        }
    }

    /// <summary>The sizes the products of a geometry share.</summary>
    private readonly record struct Shape
    {
        public Shape(in Convolution2DDescriptor d)
        {
            KernelTaps = d.KernelSize * d.KernelSize;
            Taps = d.InputChannels * KernelTaps;
            GradientTaps = d.Filters * KernelTaps;
            Positions = d.ConvolutionHeight * d.ConvolutionWidth;
            InputPositions = d.InputHeight * d.InputWidth;
        }

        /// <summary>K·K.</summary>
        public int KernelTaps { get; }

        /// <summary>Terms of a forward chain, C·K·K.</summary>
        public int Taps { get; }

        /// <summary>Terms of an input-gradient chain, F·K·K.</summary>
        public int GradientTaps { get; }

        /// <summary>Conv output positions of a plane.</summary>
        public int Positions { get; }

        /// <summary>Input positions of a plane.</summary>
        public int InputPositions { get; }
    }
}
