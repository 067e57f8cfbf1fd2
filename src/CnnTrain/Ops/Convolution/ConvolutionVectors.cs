using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace CnnTrain.Ops;

/// <summary>
/// The element-wise steps around the Multicore convolution products, as vector selects rather than branches
/// (a data-dependent branch per element mispredicts about half the time on ReLU inputs) and as cache-blocked
/// transposes. None of them rounds except the bias add, which is the reference's single z = acc + bias.
/// </summary>
internal static unsafe class ConvolutionVectors
{
    private const int Width = 8; // Vector256<float> lanes
    private const int TransposeBlock = 16;

    /// <summary>row[j] = act(row[j] + bias) for j &lt; <paramref name="length"/>, a multiple of 8.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void BiasActivate(float* row, int length, float bias, bool relu)
    {
        Vector256<float> b = Vector256.Create(bias);
        for (int j = 0; j < length; j += Width)
        {
            Vector256.Store(Activate(Vector256.Load(row + j) + b, relu), row + j);
        }
    }

    /// <summary>row[j] = act(row[j] + bias[j]) for j &lt; <paramref name="length"/>, a multiple of 8.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void BiasActivate(float* row, int length, float* bias, bool relu)
    {
        for (int j = 0; j < length; j += Width)
        {
            Vector256.Store(Activate(Vector256.Load(row + j) + Vector256.Load(bias + j), relu), row + j);
        }
    }

    /// <summary>g[i] = relu &amp;&amp; !(output[i] &gt; 0) ? 0 : dy[i], the reference's mask (ConvolutionReference.ConvolutionGradient).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Mask(float* output, float* dy, float* g, int length, bool relu)
    {
        if (!relu)
        {
            new ReadOnlySpan<float>(dy, length).CopyTo(new Span<float>(g, length));
            return;
        }

        int i = 0;
        for (; i + Width <= length; i += Width)
        {
            Vector256<float> positive = Vector256.GreaterThan(Vector256.Load(output + i), Vector256<float>.Zero);
            Vector256.Store(Vector256.ConditionalSelect(positive, Vector256.Load(dy + i), Vector256<float>.Zero), g + i);
        }

        for (; i < length; i++)
        {
            g[i] = output[i] > 0f ? dy[i] : 0f;
        }
    }

    /// <summary>destination[j·destinationRow + i] = source[i·sourceRow + j] for i &lt; rows, j &lt; columns.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Transpose(float* source, int sourceRow, int rows, int columns, float* destination, int destinationRow)
    {
        for (int i0 = 0; i0 < rows; i0 += TransposeBlock)
        {
            int i1 = Math.Min(rows, i0 + TransposeBlock);
            for (int j = 0; j < columns; j++)
            {
                float* to = destination + ((long)j * destinationRow);
                float* from = source + j;
                for (int i = i0; i < i1; i++)
                {
                    to[i] = from[(long)i * sourceRow];
                }
            }
        }
    }

    // z > 0 ? z : +0 as a select, like the reference's ternary.
    private static Vector256<float> Activate(Vector256<float> z, bool relu) =>
        relu ? Vector256.ConditionalSelect(Vector256.GreaterThan(z, Vector256<float>.Zero), z, Vector256<float>.Zero) : z;
}
