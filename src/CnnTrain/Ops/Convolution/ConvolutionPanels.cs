using System.Runtime.CompilerServices;

namespace CnnTrain.Ops;

/// <summary>
/// The operands that turn a convolution into <see cref="ConvolutionGemm"/> products. Two are images, copied once
/// per sample, in which every tap of the chain is a fixed shift, so a product reads them through offset tables
/// (<see cref="ConvolutionGrid"/>) without an im2col copy per tap:
/// <list type="bullet">
/// <item>the input image: the zero-padded input split into S×S phases (x[c, Y·S + py, X·S + px] at plane
/// (c, py, px)), so that tap (c, ky, kx) of output (oy, ox) sits at (oy + ky / S, ox + kx / S) of plane
/// (c, ky mod S, kx mod S) for any stride;</item>
/// <item>the gradient image: dz with a margin of zeros, in which each phase of the input gradient
/// (<see cref="ConvolutionGradientPhase"/>) finds every tap that reaches it at a fixed shift.</item>
/// </list>
/// Taps that fall in the padding or outside dz read an explicit 0: an fma with 0
/// leaves a chain from +0 unchanged (docs/numerics.md), so the products need no branches.
/// </summary>
internal static unsafe class ConvolutionPanels
{
    /// <summary>Writes the input image of one sample (<see cref="ConvolutionGrid.ImageLength"/> floats).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void InputImage(in Convolution2DDescriptor d, ConvolutionGrid g, float* x, float* image)
    {
        int s = d.Stride, pad = d.Padding, inH = d.InputHeight, inW = d.InputWidth;
        for (int c = 0; c < d.InputChannels; c++)
        {
            float* xc = x + ((long)c * inH * inW);
            for (int py = 0; py < s; py++)
            {
                for (int px = 0; px < s; px++)
                {
                    float* plane = image + ((long)((((c * s) + py) * s) + px) * g.ImagePlane);

                    // X whose column X·S + px − P lies inside the input: [first, last).
                    int first = Math.Clamp(CeilDiv(pad - px, s), 0, g.ImageWidth);
                    int last = Math.Clamp(FloorDiv(inW - 1 + pad - px, s) + 1, first, g.ImageWidth);
                    for (int y = 0; y < g.ImageHeight; y++)
                    {
                        int iy = (y * s) + py - pad;
                        float* line = plane + ((long)y * g.ImageWidth);
                        if ((uint)iy >= (uint)inH)
                        {
                            new Span<float>(line, g.ImageWidth).Clear();
                            continue;
                        }

                        new Span<float>(line, first).Clear();
                        float* source = xc + (iy * inW) + px - pad;
                        if (s == 1)
                        {
                            new ReadOnlySpan<float>(source + first, last - first).CopyTo(new Span<float>(line + first, last - first));
                        }
                        else
                        {
                            for (int j = first; j < last; j++)
                            {
                                line[j] = source[j * s];
                            }
                        }

                        new Span<float>(line + last, g.ImageWidth - last).Clear();
                    }
                }
            }
        }
    }

    /// <summary>Writes the gradient image of one sample's dz (<see cref="ConvolutionGrid.GradientLength"/> floats).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void GradientImage(in Convolution2DDescriptor d, ConvolutionGrid g, float* dz, float* image)
    {
        int outH = d.ConvolutionHeight, outW = d.ConvolutionWidth, margin = g.GradientMargin;
        new Span<float>(image, g.GradientLength).Clear();
        for (int f = 0; f < d.Filters; f++)
        {
            float* plane = image + ((long)f * g.GradientPlane) + (margin * g.GradientWidth) + margin;
            float* source = dz + ((long)f * outH * outW);
            for (int oy = 0; oy < outH; oy++)
            {
                new ReadOnlySpan<float>(source + (oy * outW), outW).CopyTo(new Span<float>(plane + ((long)oy * g.GradientWidth), outW));
            }
        }
    }

    /// <summary>
    /// The input patches of one sample, position-major: element (p, t) = x[c, oy·S + ky − P, ox·S + kx − P]
    /// (0 outside) at <c>p·row + t</c>, with t = (c, ky, kx) and p = (oy, ox) row-major.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void InputPatches(in Convolution2DDescriptor d, ConvolutionGrid g, float* image, float* panel, int row)
    {
        int outW = d.ConvolutionWidth;
        ReadOnlySpan<int> taps = g.TapOffsets;
        for (int oy = 0, p = 0; oy < d.ConvolutionHeight; oy++)
        {
            for (int ox = 0; ox < outW; ox++, p++)
            {
                float* source = image + g.PositionOffset(oy, ox);
                float* line = panel + ((long)p * row);
                for (int t = 0; t < taps.Length; t++)
                {
                    line[t] = source[taps[t]];
                }
            }
        }
    }

    /// <summary>
    /// The weights rearranged: (f, c, ky, kx) goes to <c>f·fStride + c·cStride + (ky·K + kx)·tapStride</c>.
    /// </summary>
    public static void PackWeights(in Convolution2DDescriptor d, ReadOnlySpan<float> weights, Span<float> packed, int fStride, int cStride, int tapStride)
    {
        int taps = d.KernelSize * d.KernelSize;
        for (int f = 0, i = 0; f < d.Filters; f++)
        {
            for (int c = 0; c < d.InputChannels; c++)
            {
                for (int tap = 0; tap < taps; tap++, i++)
                {
                    packed[(f * fStride) + (c * cStride) + (tap * tapStride)] = weights[i];
                }
            }
        }
    }

    private static int CeilDiv(int a, int b) => a <= 0 ? -(-a / b) : ((a + b - 1) / b);

    private static int FloorDiv(int a, int b) => a >= 0 ? a / b : -((-a + b - 1) / b);
}
