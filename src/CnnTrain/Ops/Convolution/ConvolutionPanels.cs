using System.Runtime.CompilerServices;

namespace CnnTrain.Ops;

/// <summary>
/// The matrices that turn a convolution into <see cref="ConvolutionGemm"/> products. Each is written with a
/// stride per axis, so one builder serves both orientations (taps along rows or along columns). Taps that fall
/// in the padding (or, for the input gradient, between the dilated gradient's samples) are written as 0:
/// an fma with an explicit 0 leaves a chain from +0 unchanged (docs/numerics.md), so the products need no branches.
/// </summary>
internal static unsafe class ConvolutionPanels
{
    /// <summary>
    /// The input patches of one sample: element (t, p) = x[c, oy·S + ky − P, ox·S + kx − P] (0 outside), with
    /// t = (c, ky, kx) and p = (oy, ox) row-major, at <c>t·tStride + p·pStride</c>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void InputPatches(in Convolution2DDescriptor d, float* x, float* panel, int tStride, int pStride)
    {
        int k = d.KernelSize, s = d.Stride, pad = d.Padding;
        int outH = d.ConvolutionHeight, outW = d.ConvolutionWidth;
        int inH = d.InputHeight, inW = d.InputWidth;
        for (int c = 0; c < d.InputChannels; c++)
        {
            float* xc = x + ((long)c * inH * inW);
            for (int ky = 0; ky < k; ky++)
            {
                for (int kx = 0; kx < k; kx++)
                {
                    int t = (((c * k) + ky) * k) + kx;
                    float* row = panel + ((long)t * tStride);

                    // ox whose column ox·S + kx − P lies inside the input: [first, last).
                    int first = Math.Clamp(CeilDiv(pad - kx, s), 0, outW);
                    int last = Math.Clamp(FloorDiv(inW - 1 + pad - kx, s) + 1, first, outW);
                    for (int oy = 0; oy < outH; oy++)
                    {
                        int iy = (oy * s) + ky - pad;
                        float* line = row + ((long)oy * outW * pStride);
                        if ((uint)iy >= (uint)inH)
                        {
                            Zero(line, 0, outW, pStride);
                            continue;
                        }

                        float* source = xc + (iy * inW) + kx - pad;
                        Zero(line, 0, first, pStride);
                        Gather(source, s, line, first, last, pStride);
                        Zero(line, last, outW, pStride);
                    }
                }
            }
        }
    }

    /// <summary>
    /// The gradient taps of one sample: element (t, q) = dz[f, oy, ox] where (iy + P − ky, ix + P − kx) =
    /// (oy·S, ox·S) lies on the conv output (0 elsewhere), with t = (f, ky, kx) and q = (iy, ix) row-major, at
    /// <c>t·tStride + q·qStride</c>. Row t of it is the tap (f, ky, kx) of dx's chain at every input position.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void GradientTaps(in Convolution2DDescriptor d, float* dz, float* panel, int tStride, int qStride)
    {
        int k = d.KernelSize, s = d.Stride, pad = d.Padding;
        int outH = d.ConvolutionHeight, outW = d.ConvolutionWidth;
        int inH = d.InputHeight, inW = d.InputWidth;
        for (int f = 0; f < d.Filters; f++)
        {
            float* g = dz + ((long)f * outH * outW);
            for (int ky = 0; ky < k; ky++)
            {
                for (int kx = 0; kx < k; kx++)
                {
                    int t = (((f * k) + ky) * k) + kx;
                    float* row = panel + ((long)t * tStride);
                    for (int iy = 0; iy < inH; iy++)
                    {
                        int ty = iy + pad - ky;
                        float* line = row + ((long)iy * inW * qStride);
                        if (ty < 0 || ty % s != 0 || ty / s >= outH)
                        {
                            Zero(line, 0, inW, qStride);
                            continue;
                        }

                        float* source = g + ((ty / s) * outW);
                        if (s == 1)
                        {
                            // ix reaches ox = ix + P − kx in [0, outW).
                            int first = Math.Clamp(kx - pad, 0, inW);
                            int last = Math.Clamp(outW + kx - pad, first, inW);
                            Zero(line, 0, first, qStride);
                            Gather(source + pad - kx, 1, line, first, last, qStride);
                            Zero(line, last, inW, qStride);
                            continue;
                        }

                        for (int ix = 0; ix < inW; ix++)
                        {
                            int tx = ix + pad - kx;
                            line[(long)ix * qStride] = tx < 0 || tx % s != 0 || tx / s >= outW ? 0f : source[tx / s];
                        }
                    }
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

    // destination[j·stride] = source[j·step] for first ≤ j < last.
    private static void Gather(float* source, int step, float* destination, int first, int last, int stride)
    {
        if (step == 1 && stride == 1)
        {
            new ReadOnlySpan<float>(source + first, last - first).CopyTo(new Span<float>(destination + first, last - first));
            return;
        }

        for (int j = first; j < last; j++)
        {
            destination[(long)j * stride] = source[(long)j * step];
        }
    }

    private static void Zero(float* destination, int first, int last, int stride)
    {
        if (stride == 1)
        {
            new Span<float>(destination + first, Math.Max(0, last - first)).Clear();
            return;
        }

        for (int j = first; j < last; j++)
        {
            destination[(long)j * stride] = 0f;
        }
    }

    private static int CeilDiv(int a, int b) => a <= 0 ? -(-a / b) : ((a + b - 1) / b);

    private static int FloorDiv(int a, int b) => a >= 0 ? a / b : -((-a + b - 1) / b);
}
