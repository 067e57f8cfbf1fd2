using CnnTrain.Devices.Cpu;

namespace CnnTrain.Ops;

/// <summary>
/// The convolution block in plain loops: the readable statement of the canonical order
/// (docs/numerics.md, "Convolution block"). Every other device must reproduce these bits.
/// </summary>
internal static class ConvolutionReference
{
    public static void Forward(CpuDevice cpu, in ConvolutionForward op) => Forward(
        op.Geometry, op.Batch, CpuDevice.Span(op.Input), CpuDevice.Span(op.Weights), CpuDevice.Span(op.Bias),
        CpuDevice.Span(op.Output), CpuDevice.Span(op.PoolIndices));

    public static void Backward(CpuDevice cpu, in ConvolutionBackward op) => Backward(
        op.Geometry, op.Batch, CpuDevice.Span(op.Input), CpuDevice.Span(op.Weights), CpuDevice.Span(op.Output),
        CpuDevice.Span(op.PoolIndices), CpuDevice.Span(op.OutputGradient), CpuDevice.Span(op.WeightPartials),
        CpuDevice.Span(op.BiasPartials), CpuDevice.Span(op.InputGradient));

    public static void Forward(
        in Convolution2DDescriptor d, int batch, ReadOnlySpan<float> input, ReadOnlySpan<float> weights,
        ReadOnlySpan<float> bias, Span<float> output, Span<int> poolIndices)
    {
        var plane = new float[d.ConvolutionHeight * d.ConvolutionWidth];
        int poolPlane = d.OutputHeight * d.OutputWidth;
        for (int n = 0; n < batch; n++)
        {
            ReadOnlySpan<float> x = input.Slice(n * d.InputSize, d.InputSize);
            for (int f = 0; f < d.Filters; f++)
            {
                ConvolvePlane(d, x, weights, bias[f], f, plane);
                if (d.Activation == Activation.Relu)
                {
                    ReluReference.Forward(plane, plane);
                }

                int outputOffset = ((n * d.Filters) + f) * poolPlane;
                if (d.HasPool)
                {
                    MaxPoolReference.ForwardPlane(d.Pool, plane, output.Slice(outputOffset, poolPlane), poolIndices.Slice(outputOffset, poolPlane));
                }
                else
                {
                    plane.CopyTo(output.Slice(outputOffset, poolPlane));
                }
            }
        }
    }

    public static void Backward(
        in Convolution2DDescriptor d, int batch, ReadOnlySpan<float> input, ReadOnlySpan<float> weights,
        ReadOnlySpan<float> output, ReadOnlySpan<int> poolIndices, ReadOnlySpan<float> outputGradient,
        Span<float> weightPartials, Span<float> biasPartials, Span<float> inputGradient)
    {
        var dz = new float[d.ConvolutionSize];
        for (int n = 0; n < batch; n++)
        {
            int outputOffset = n * d.OutputSize;
            ConvolutionGradient(
                d, output.Slice(outputOffset, d.OutputSize), d.HasPool ? poolIndices.Slice(outputOffset, d.OutputSize) : default,
                outputGradient.Slice(outputOffset, d.OutputSize), dz);
            ReadOnlySpan<float> x = input.Slice(n * d.InputSize, d.InputSize);
            FilterPartials(d, x, dz, weightPartials.Slice(n * d.WeightCount, d.WeightCount), biasPartials.Slice(n * d.Filters, d.Filters));
            if (!inputGradient.IsEmpty)
            {
                InputGradient(d, weights, dz, inputGradient.Slice(n * d.InputSize, d.InputSize));
            }
        }
    }

    /// <summary>z[oy, ox] = (acc from +0 of fma(w, x) over c, ky, kx ascending) + bias; padding is skipped.</summary>
    public static void ConvolvePlane(in Convolution2DDescriptor d, ReadOnlySpan<float> x, ReadOnlySpan<float> weights, float bias, int f, Span<float> plane)
    {
        int k = d.KernelSize;
        for (int oy = 0; oy < d.ConvolutionHeight; oy++)
        {
            for (int ox = 0; ox < d.ConvolutionWidth; ox++)
            {
                float acc = 0f;
                for (int c = 0; c < d.InputChannels; c++)
                {
                    for (int ky = 0; ky < k; ky++)
                    {
                        int iy = (oy * d.Stride) + ky - d.Padding;
                        if ((uint)iy >= (uint)d.InputHeight)
                        {
                            continue;
                        }

                        for (int kx = 0; kx < k; kx++)
                        {
                            int ix = (ox * d.Stride) + kx - d.Padding;
                            if ((uint)ix >= (uint)d.InputWidth)
                            {
                                continue;
                            }

                            float w = weights[(((f * d.InputChannels) + c) * k + ky) * k + kx];
                            acc = MathF.FusedMultiplyAdd(w, x[(((c * d.InputHeight) + iy) * d.InputWidth) + ix], acc);
                        }
                    }
                }

                plane[(oy * d.ConvolutionWidth) + ox] = acc + bias;
            }
        }
    }

    /// <summary>
    /// The gradient with respect to the convolution output (before the activation) of one sample:
    /// routed through the pool's winning positions (ascending output order, summed from +0) and masked
    /// by the activation, which is read from the block output (positive output = positive pre-activation).
    /// </summary>
    public static void ConvolutionGradient(
        in Convolution2DDescriptor d, ReadOnlySpan<float> output, ReadOnlySpan<int> poolIndices, ReadOnlySpan<float> outputGradient, Span<float> dz)
    {
        bool relu = d.Activation == Activation.Relu;
        if (!d.HasPool)
        {
            for (int i = 0; i < dz.Length; i++)
            {
                dz[i] = relu && !(output[i] > 0f) ? 0f : outputGradient[i];
            }

            return;
        }

        dz.Clear();
        int plane = d.ConvolutionHeight * d.ConvolutionWidth;
        int poolPlane = d.OutputHeight * d.OutputWidth;
        for (int f = 0; f < d.Filters; f++)
        {
            for (int p = 0; p < poolPlane; p++)
            {
                int o = (f * poolPlane) + p;
                float g = relu && !(output[o] > 0f) ? 0f : outputGradient[o];
                int q = (f * plane) + poolIndices[o];
                dz[q] += g;
            }
        }
    }

    /// <summary>
    /// One sample's partial gradients: for each weight, the fma chain from +0 over conv output positions in
    /// row-major order; for each bias, the sum from +0 of dz over the same positions.
    /// </summary>
    public static void FilterPartials(in Convolution2DDescriptor d, ReadOnlySpan<float> x, ReadOnlySpan<float> dz, Span<float> weightPartial, Span<float> biasPartial)
    {
        int k = d.KernelSize;
        int plane = d.ConvolutionHeight * d.ConvolutionWidth;
        for (int f = 0; f < d.Filters; f++)
        {
            ReadOnlySpan<float> g = dz.Slice(f * plane, plane);
            for (int c = 0; c < d.InputChannels; c++)
            {
                for (int ky = 0; ky < k; ky++)
                {
                    for (int kx = 0; kx < k; kx++)
                    {
                        float acc = 0f;
                        for (int oy = 0; oy < d.ConvolutionHeight; oy++)
                        {
                            int iy = (oy * d.Stride) + ky - d.Padding;
                            if ((uint)iy >= (uint)d.InputHeight)
                            {
                                continue;
                            }

                            for (int ox = 0; ox < d.ConvolutionWidth; ox++)
                            {
                                int ix = (ox * d.Stride) + kx - d.Padding;
                                if ((uint)ix >= (uint)d.InputWidth)
                                {
                                    continue;
                                }

                                acc = MathF.FusedMultiplyAdd(g[(oy * d.ConvolutionWidth) + ox], x[(((c * d.InputHeight) + iy) * d.InputWidth) + ix], acc);
                            }
                        }

                        weightPartial[(((f * d.InputChannels) + c) * k + ky) * k + kx] = acc;
                    }
                }
            }

            float sum = 0f;
            for (int i = 0; i < plane; i++)
            {
                sum += g[i];
            }

            biasPartial[f] = sum;
        }
    }

    /// <summary>dx[c, iy, ix] = acc from +0 of fma(w[f, c, ky, kx], dz[f, oy, ox]) over f, ky, kx ascending, for the taps that reach (iy, ix).</summary>
    public static void InputGradient(in Convolution2DDescriptor d, ReadOnlySpan<float> weights, ReadOnlySpan<float> dz, Span<float> dx)
    {
        int k = d.KernelSize;
        for (int c = 0; c < d.InputChannels; c++)
        {
            for (int iy = 0; iy < d.InputHeight; iy++)
            {
                for (int ix = 0; ix < d.InputWidth; ix++)
                {
                    float acc = 0f;
                    for (int f = 0; f < d.Filters; f++)
                    {
                        for (int ky = 0; ky < k; ky++)
                        {
                            int ty = iy + d.Padding - ky;
                            if (ty < 0 || ty % d.Stride != 0 || ty / d.Stride >= d.ConvolutionHeight)
                            {
                                continue;
                            }

                            for (int kx = 0; kx < k; kx++)
                            {
                                int tx = ix + d.Padding - kx;
                                if (tx < 0 || tx % d.Stride != 0 || tx / d.Stride >= d.ConvolutionWidth)
                                {
                                    continue;
                                }

                                float w = weights[(((f * d.InputChannels) + c) * k + ky) * k + kx];
                                acc = MathF.FusedMultiplyAdd(w, dz[(((f * d.ConvolutionHeight) + (ty / d.Stride)) * d.ConvolutionWidth) + (tx / d.Stride)], acc);
                            }
                        }
                    }

                    dx[(((c * d.InputHeight) + iy) * d.InputWidth) + ix] = acc;
                }
            }
        }
    }
}
