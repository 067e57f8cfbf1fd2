using System.Runtime.CompilerServices;
using CnnTrain.Devices.Cpu;

namespace CnnTrain.Ops;

/// <summary>The backward pass of <see cref="ConvolutionSimd"/>: per sample, dz, then its filter partials and input gradient.</summary>
internal static unsafe partial class ConvolutionSimd
{
    /// <summary>The backward pass, a sample's partials or its input gradient per work item.</summary>
    public static void Backward(CpuDevice cpu, in ConvolutionBackward op)
    {
        Convolution2DDescriptor d = op.Geometry;
        ConvolutionGrid g = ConvolutionGrid.Of(d);
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
            float[]? packed = dx.IsEmpty ? null : PackForInputGradient(d, g, CpuDevice.Span(op.Weights));
            fixed (float* pk = packed)
            {
                var w = new RawSpan<float>(pk, packed?.Length ?? 0);
                // A sample's filter partials and its input gradient cost about the same: two work items per
                // sample balance the threads better than one (each forms the sample's dz, which is cheap).
                int parts = dx.IsEmpty ? 1 : 2;
                cpu.For(op.Batch * parts, item =>
                {
                    int n = item / parts;
                    int o = n * d.OutputSize;
                    bool partials = item % parts == 0, inputGradient = parts == 1 || item % parts == 1;
                    BackwardSample(
                        d, g, x.Pointer + ((long)n * d.InputSize), w.Pointer, y.Slice(o, d.OutputSize),
                        idx.IsEmpty ? default : idx.Slice(o, d.OutputSize), dy.Slice(o, d.OutputSize),
                        partials ? wp.Slice(n * d.WeightCount, d.WeightCount) : default, partials ? bp.Slice(n * d.Filters, d.Filters) : default,
                        inputGradient && !dx.IsEmpty ? dx.Slice(n * d.InputSize, d.InputSize) : default);
                });
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void BackwardSample(
        in Convolution2DDescriptor d, ConvolutionGrid g, float* x, float* packed,
        ReadOnlySpan<float> output, ReadOnlySpan<int> poolIndices, ReadOnlySpan<float> outputGradient,
        Span<float> weightPartial, Span<float> biasPartial, Span<float> inputGradient)
    {
        float[] gradient = ConvolutionScratch.Gradient(d.ConvolutionSize);
        fixed (float* dz = gradient)
        {
            ConvolutionGradient(d, g, output, poolIndices, outputGradient, dz);
            if (!weightPartial.IsEmpty)
            {
                BiasPartials(d, g, dz, biasPartial);
                FilterPartials(d, g, x, dz, weightPartial);
            }

            if (!inputGradient.IsEmpty)
            {
                InputGradient(d, g, packed, dz, inputGradient);
            }
        }
    }

    /// <summary>ConvolutionReference.ConvolutionGradient with the activation's mask as a vector select.</summary>
    private static void ConvolutionGradient(
        in Convolution2DDescriptor d, ConvolutionGrid g, ReadOnlySpan<float> output, ReadOnlySpan<int> poolIndices, ReadOnlySpan<float> outputGradient, float* dz)
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
            float[] masked = ConvolutionScratch.Product(d.OutputSize);
            fixed (float* pm = masked)
            {
                ConvolutionVectors.Mask(py, pg, pm, d.OutputSize, relu);
                new Span<float>(dz, d.ConvolutionSize).Clear();
                int outPlane = d.OutputHeight * d.OutputWidth;
                for (int f = 0, o = 0; f < d.Filters; f++)
                {
                    float* plane = dz + ((long)f * g.Positions);
                    for (int p = 0; p < outPlane; p++, o++)
                    {
                        plane[poolIndices[o]] += pm[o];
                    }
                }
            }
        }
    }

    // Pb[f] = sum from +0 of dz[f, p] over p ascending; four filters' chains interleave (each is latency-bound alone).
    private static void BiasPartials(in Convolution2DDescriptor d, ConvolutionGrid g, float* dz, Span<float> biasPartial)
    {
        int positions = g.Positions, filters = d.Filters;
        for (int f0 = 0; f0 < filters; f0 += 4)
        {
            float* r0 = dz + ((long)f0 * positions);
            float* r1 = dz + ((long)Math.Min(f0 + 1, filters - 1) * positions);
            float* r2 = dz + ((long)Math.Min(f0 + 2, filters - 1) * positions);
            float* r3 = dz + ((long)Math.Min(f0 + 3, filters - 1) * positions);
            float s0 = 0f, s1 = 0f, s2 = 0f, s3 = 0f;
            for (int p = 0; p < positions; p++)
            {
                s0 += r0[p];
                s1 += r1[p];
                s2 += r2[p];
                s3 += r3[p];
            }

            ReadOnlySpan<float> sums = [s0, s1, s2, s3];
            for (int i = 0; i < 4 && f0 + i < filters; i++)
            {
                biasPartial[f0 + i] = sums[i];
            }
        }
    }

    /// <summary>P[f, t] = fma chain from +0 over positions p (row-major) of dz[f, p] · x[tap t of p].</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void FilterPartials(in Convolution2DDescriptor d, ConvolutionGrid g, float* x, float* dz, Span<float> weightPartial)
    {
        int positions = g.Positions, taps = g.Taps, filters = d.Filters;
        float[] image = ConvolutionScratch.Image(g.ImageLength);
        fixed (float* pi = image, pw = weightPartial)
        fixed (int* tapsAt = g.TapOffsets, positionsAt = g.PositionOffsets, units = g.Units)
        {
            ConvolutionPanels.InputImage(d, g, x, pi);
            if (g.PartialsByTaps)
            {
                // P = dz (filters × positions) · patches (positions × taps): lanes are neighbouring taps.
                int columns = g.TapColumns;
                float[] panel = ConvolutionScratch.Panel(positions * columns);
                float[] product = ConvolutionScratch.Product(filters * columns);
                fixed (float* pa = panel, pc = product)
                fixed (int* gradientRows = g.GradientRows, panelRows = g.PanelRows)
                {
                    ConvolutionPanels.InputPatches(d, g, pi, pa, columns);
                    ConvolutionGemm.Multiply(dz, gradientRows, units, filters, pa, panelRows, positions, columns, pc, columns);
                    for (int f = 0; f < filters; f++)
                    {
                        new ReadOnlySpan<float>(pc + ((long)f * columns), taps).CopyTo(weightPartial.Slice(f * taps, taps));
                    }
                }
            }
            else
            {
                // Pᵀ = image taps (taps × positions) · dzᵀ (positions × filters): lanes are neighbouring filters.
                int columns = g.FilterColumns;
                float[] transposed = ConvolutionScratch.Transposed(positions * columns);
                float[] product = ConvolutionScratch.Product(taps * columns);
                fixed (float* pt = transposed, pc = product)
                fixed (int* transposedRows = g.TransposedRows)
                {
                    ConvolutionVectors.Transpose(dz, positions, filters, positions, pt, columns);
                    ConvolutionGemm.Multiply(pi, tapsAt, positionsAt, taps, pt, transposedRows, positions, columns, pc, columns);
                    ConvolutionVectors.Transpose(pc, columns, taps, filters, pw, taps);
                }
            }
        }
    }

    /// <summary>
    /// dx[c, q] = fma chain from +0 over t' = (f, ky, kx) ascending of w[f, c, ky, kx] · dz[tap t' of q], a product
    /// per phase (<see cref="ConvolutionGradientPhase"/>) over the taps that reach it.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void InputGradient(in Convolution2DDescriptor d, ConvolutionGrid g, float* packed, float* dz, Span<float> dx)
    {
        int channels = d.InputChannels, s = d.Stride, inW = d.InputWidth, inputs = g.InputPositions;
        float[] image = ConvolutionScratch.GradientImage(g.GradientLength);
        fixed (float* pi = image, px = dx)
        fixed (int* channelRows = g.ChannelRows)
        {
            ConvolutionPanels.GradientImage(d, g, dz, pi);
            foreach (ConvolutionGradientPhase phase in g.GradientPhases)
            {
                int depth = phase.Taps.Length, first = (phase.Row * inW) + phase.Column;
                fixed (int* taps = phase.Taps, tapsAt = phase.TapOffsets, tapRows = phase.TapRows, positionsAt = phase.PositionOffsets)
                {
                    if (g.InputGradientByPositions)
                    {
                        // dx = packed w (channels × taps') · image taps' (taps' × phase grid): lanes are neighbouring positions.
                        int columns = phase.GridColumns;
                        float[] product = ConvolutionScratch.Product(channels * columns);
                        fixed (float* pc = product)
                        {
                            ConvolutionGemm.Multiply(packed, channelRows, taps, channels, pi, tapsAt, depth, columns, pc, columns);
                            for (int c = 0; c < channels; c++)
                            {
                                float* row = pc + ((long)c * columns);
                                float* plane = px + ((long)c * inputs) + first;
                                for (int u = 0; u < phase.Height; u++)
                                {
                                    float* from = row + (u * g.GradientWidth);
                                    float* to = plane + ((long)u * s * inW);
                                    for (int v = 0; v < phase.Width; v++)
                                    {
                                        to[v * s] = from[v];
                                    }
                                }
                            }
                        }
                    }
                    else
                    {
                        // dxᵀ = image taps' (phase positions × taps') · packed w (taps' × channels): lanes are neighbouring channels.
                        int columns = g.ChannelColumns, positions = phase.Height * phase.Width;
                        float[] product = ConvolutionScratch.Product(positions * columns);
                        fixed (float* pc = product)
                        {
                            ConvolutionGemm.Multiply(pi, positionsAt, tapsAt, positions, packed, tapRows, depth, columns, pc, columns);
                            for (int u = 0, i = 0; u < phase.Height; u++)
                            {
                                for (int v = 0; v < phase.Width; v++, i++)
                                {
                                    float* from = pc + ((long)i * columns);
                                    float* to = px + first + ((long)u * s * inW) + (v * s);
                                    for (int c = 0; c < channels; c++)
                                    {
                                        to[(long)c * inputs] = from[c];
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    // w as the left (channels × taps') or right (taps' × channels) operand of the input gradient, taps' = (f, ky, kx).
    private static float[] PackForInputGradient(in Convolution2DDescriptor d, ConvolutionGrid g, ReadOnlySpan<float> weights)
    {
        int kk = g.KernelTaps;
        if (g.InputGradientByPositions)
        {
            float[] packed = ConvolutionScratch.Weights(d.InputChannels * g.GradientTaps);
            ConvolutionPanels.PackWeights(d, weights, packed, kk, g.GradientTaps, 1);
            return packed;
        }

        float[] right = ConvolutionScratch.Weights(g.GradientTaps * g.ChannelColumns);
        ConvolutionPanels.PackWeights(d, weights, right, kk * g.ChannelColumns, 1, g.ChannelColumns);
        return right;
    }
}
