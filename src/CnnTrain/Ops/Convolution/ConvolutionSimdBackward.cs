using System.Runtime.CompilerServices;
using CnnTrain.Devices.Cpu;

namespace CnnTrain.Ops;

/// <summary>The backward pass of <see cref="ConvolutionSimd"/>: per sample, dz, then its filter partials and input gradient.</summary>
internal static unsafe partial class ConvolutionSimd
{
    /// <summary>The backward pass, a sample per work item.</summary>
    public static void Backward(CpuDevice cpu, in ConvolutionBackward op)
    {
        Convolution2DDescriptor d = op.Geometry;
        var shape = new Shape(d);
        fixed (float* pi = CpuDevice.Span(op.Input), po = CpuDevice.Span(op.Output), pg = CpuDevice.Span(op.OutputGradient))
        fixed (float* pwp = CpuDevice.Span(op.WeightPartials), pbp = CpuDevice.Span(op.BiasPartials), pdx = CpuDevice.Span(op.InputGradient))
        fixed (int* px = CpuDevice.Span(op.PoolIndices))
        {
            var x = new RawSpan<float>(pi, op.Input.Length);
            var y = new RawSpan<float>(po, op.Output.Length);
            var idx = new RawSpan<int>(px, op.PoolIndices.Length);
            var dy = new RawSpan<float>(pg, op.OutputGradient.Length);
            var wp = new RawSpan<float>(pwp, op.WeightPartials.Length);
            var bp = new RawSpan<float>(pbp, op.BiasPartials.Length);
            var dx = new RawSpan<float>(pdx, op.InputGradient.Length);
            bool partialsByTaps = ConvolutionGemm.Work(d.Filters, shape.Taps) <= ConvolutionGemm.Work(shape.Taps, d.Filters);
            bool dxByPositions = ConvolutionGemm.Work(d.InputChannels, shape.InputPositions) <= ConvolutionGemm.Work(shape.InputPositions, d.InputChannels);
            float[]? packed = dx.IsEmpty ? null : PackForInputGradient(d, shape, CpuDevice.Span(op.Weights), dxByPositions);
            fixed (float* pk = packed)
            {
                var w = new RawSpan<float>(pk, packed?.Length ?? 0);
                cpu.For(op.Batch, n =>
                {
                    int o = n * d.OutputSize;
                    BackwardSample(
                        d, shape, partialsByTaps, dxByPositions, x.Pointer + ((long)n * d.InputSize), w.Pointer, y.Slice(o, d.OutputSize),
                        idx.IsEmpty ? default : idx.Slice(o, d.OutputSize), dy.Slice(o, d.OutputSize), wp.Slice(n * d.WeightCount, d.WeightCount),
                        bp.Slice(n * d.Filters, d.Filters), dx.IsEmpty ? default : dx.Slice(n * d.InputSize, d.InputSize));
                });
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void BackwardSample(
        in Convolution2DDescriptor d, Shape shape, bool partialsByTaps, bool dxByPositions, float* x, float* packed,
        ReadOnlySpan<float> output, ReadOnlySpan<int> poolIndices, ReadOnlySpan<float> outputGradient,
        Span<float> weightPartial, Span<float> biasPartial, Span<float> inputGradient)
    {
        float[] gradient = ConvolutionScratch.Gradient(d.ConvolutionSize);
        Span<float> dz = gradient.AsSpan(0, d.ConvolutionSize);
        fixed (float* pz = gradient)
        {
            ConvolutionGradient(d, shape, output, poolIndices, outputGradient, pz);
            BiasPartials(d, shape, dz, biasPartial);
            FilterPartials(d, shape, partialsByTaps, x, pz, weightPartial);
            if (!inputGradient.IsEmpty)
            {
                InputGradient(d, shape, dxByPositions, packed, pz, inputGradient);
            }
        }
    }

    /// <summary>ConvolutionReference.ConvolutionGradient with the activation's mask as a vector select.</summary>
    private static void ConvolutionGradient(
        in Convolution2DDescriptor d, Shape shape, ReadOnlySpan<float> output, ReadOnlySpan<int> poolIndices, ReadOnlySpan<float> outputGradient, float* dz)
    {
        bool relu = d.Activation == Activation.Relu;
        fixed (float* py = output, pg = outputGradient)
        {
            if (!d.HasPool)
            {
                ConvolutionVectors.Mask(py, pg, dz, d.ConvolutionSize, relu);
                return;
            }

            // The masked gradient of each window goes to its winner, summed from +0 in ascending output order.
            float[] masked = ConvolutionScratch.Panel(d.OutputSize);
            fixed (float* pm = masked)
            {
                ConvolutionVectors.Mask(py, pg, pm, d.OutputSize, relu);
                new Span<float>(dz, d.ConvolutionSize).Clear();
                int outPlane = d.OutputHeight * d.OutputWidth;
                for (int f = 0, o = 0; f < d.Filters; f++)
                {
                    float* plane = dz + ((long)f * shape.Positions);
                    for (int p = 0; p < outPlane; p++, o++)
                    {
                        plane[poolIndices[o]] += pm[o];
                    }
                }
            }
        }
    }

    // Pb[f] = sum from +0 of dz[f, p] over p ascending.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void BiasPartials(in Convolution2DDescriptor d, Shape shape, ReadOnlySpan<float> dz, Span<float> biasPartial)
    {
        for (int f = 0; f < d.Filters; f++)
        {
            ReadOnlySpan<float> g = dz.Slice(f * shape.Positions, shape.Positions);
            float sum = 0f;
            for (int p = 0; p < g.Length; p++)
            {
                sum += g[p];
            }

            biasPartial[f] = sum;
        }
    }

    /// <summary>P[f, t] = fma chain from +0 over positions p (row-major) of dz[f, p] · patch[t, p].</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void FilterPartials(in Convolution2DDescriptor d, Shape shape, bool byTaps, float* x, float* dz, Span<float> weightPartial)
    {
        int positions = shape.Positions, taps = shape.Taps, filters = d.Filters;
        if (byTaps)
        {
            // P = dz (filters × positions) · patchesᵀ (positions × taps): lanes are neighbouring taps.
            int columns = ConvolutionGemm.PaddedColumns(taps);
            float[] panel = ConvolutionScratch.Panel(positions * columns);
            float[] product = ConvolutionScratch.Product(filters * columns);
            fixed (float* pa = panel, pc = product)
            {
                ConvolutionPanels.InputPatches(d, x, pa, 1, columns);
                ConvolutionGemm.Multiply(dz, positions, 1, filters, pa, columns, positions, columns, pc, columns, skipZeroA: true);
                for (int f = 0; f < filters; f++)
                {
                    new ReadOnlySpan<float>(pc + ((long)f * columns), taps).CopyTo(weightPartial.Slice(f * taps, taps));
                }
            }
        }
        else
        {
            // Pᵀ = patches (taps × positions) · dzᵀ (positions × filters): lanes are neighbouring filters.
            int columns = ConvolutionGemm.PaddedColumns(filters);
            float[] panel = ConvolutionScratch.Panel(positions * taps);
            float[] transposed = ConvolutionScratch.Transposed(positions * columns);
            float[] product = ConvolutionScratch.Product(taps * columns);
            fixed (float* pa = panel, pt = transposed, pc = product)
            {
                ConvolutionPanels.InputPatches(d, x, pa, 1, taps);
                ConvolutionVectors.Transpose(dz, positions, filters, positions, pt, columns);

                ConvolutionGemm.Multiply(pa, 1, taps, taps, pt, columns, positions, columns, pc, columns, skipZeroA: true);
                fixed (float* pw = weightPartial)
                {
                    ConvolutionVectors.Transpose(pc, columns, taps, filters, pw, taps);
                }
            }
        }
    }

    /// <summary>dx[c, q] = fma chain from +0 over t' = (f, ky, kx) ascending of w[f, c, ky, kx] · tap[t', q].</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void InputGradient(in Convolution2DDescriptor d, Shape shape, bool byPositions, float* packed, float* dz, Span<float> dx)
    {
        int inputs = shape.InputPositions, taps = shape.GradientTaps, channels = d.InputChannels;
        if (byPositions)
        {
            // dx = packed w (channels × taps') · taps' (taps' × positions): lanes are neighbouring input positions.
            int columns = ConvolutionGemm.PaddedColumns(inputs);
            float[] panel = ConvolutionScratch.Panel(taps * columns);
            float[] product = ConvolutionScratch.Product(channels * columns);
            fixed (float* pa = panel, pc = product)
            {
                ConvolutionPanels.GradientTaps(d, dz, pa, columns, 1);
                ConvolutionGemm.Multiply(packed, taps, 1, channels, pa, columns, taps, columns, pc, columns, skipZeroA: false);
                for (int c = 0; c < channels; c++)
                {
                    new ReadOnlySpan<float>(pc + ((long)c * columns), inputs).CopyTo(dx.Slice(c * inputs, inputs));
                }
            }
        }
        else
        {
            // dxᵀ = taps'ᵀ (positions × taps') · packed w (taps' × channels): lanes are neighbouring channels.
            int columns = ConvolutionGemm.PaddedColumns(channels);
            float[] panel = ConvolutionScratch.Panel(inputs * taps);
            float[] product = ConvolutionScratch.Product(inputs * columns);
            fixed (float* pa = panel, pc = product)
            {
                ConvolutionPanels.GradientTaps(d, dz, pa, 1, taps);
                ConvolutionGemm.Multiply(pa, taps, 1, inputs, packed, columns, taps, columns, pc, columns, skipZeroA: true);
                fixed (float* px = dx)
                {
                    ConvolutionVectors.Transpose(pc, columns, inputs, channels, px, inputs);
                }
            }
        }
    }

    // w as the left (channels × taps') or right (taps' × channels) operand of the input gradient, taps' = (f, ky, kx).
    private static float[] PackForInputGradient(in Convolution2DDescriptor d, Shape shape, ReadOnlySpan<float> weights, bool byPositions)
    {
        int kk = shape.KernelTaps;
        if (byPositions)
        {
            float[] packed = ConvolutionScratch.Weights(d.InputChannels * shape.GradientTaps);
            ConvolutionPanels.PackWeights(d, weights, packed, kk, shape.GradientTaps, 1);
            return packed;
        }

        int columns = ConvolutionGemm.PaddedColumns(d.InputChannels);
        float[] right = ConvolutionScratch.Weights(shape.GradientTaps * columns);
        ConvolutionPanels.PackWeights(d, weights, right, kk * columns, 1, columns);
        return right;
    }
}
