using System.Runtime.Intrinsics;
using CnnTrain.Devices.Cpu;
using CnnTrain.Numerics;

namespace CnnTrain.Ops;

/// <summary>
/// The dense block with SIMD, on all cores. The forward dot product keeps the 32 canonical lanes in four vectors;
/// the backward products vectorise across input features, each lane its own chain.
/// </summary>
internal static unsafe class DenseSimd
{
    private const int Width = 8;
    private const int ColumnChunk = 256;

    /// <summary>The forward pass, a sample per task.</summary>
    public static void Forward(CpuDevice cpu, in DenseForward op)
    {
        DenseDescriptor d = op.Geometry;
        fixed (float* pi = CpuDevice.Span(op.Input), pw = CpuDevice.Span(op.Weights), pb = CpuDevice.Span(op.Bias), po = CpuDevice.Span(op.Output))
        {
            var x = new RawSpan<float>(pi, op.Input.Length);
            var w = new RawSpan<float>(pw, op.Weights.Length);
            var b = new RawSpan<float>(pb, op.Bias.Length);
            var y = new RawSpan<float>(po, op.Output.Length);
            cpu.For(op.Batch, n => ForwardSample(d, x.Slice(n * d.Inputs, d.Inputs), w.Span, b.Span, y.Slice(n * d.Outputs, d.Outputs)));
        }
    }

    /// <summary>
    /// The backward pass: the masked gradient, each chunk's bias sums, each chunk's weight-gradient columns per task,
    /// then the input gradient per sample.
    /// </summary>
    public static void Backward(CpuDevice cpu, in DenseBackward op)
    {
        DenseDescriptor d = op.Geometry;
        int batch = op.Batch;
        int batchChunks = BatchTree.Chunks(batch);
        float[] dzArray = new float[batch * d.Outputs];
        MaskedGradient(d, CpuDevice.Span(op.Output), CpuDevice.Span(op.OutputGradient), dzArray);
        Span<float> biasGradient = CpuDevice.Span(op.BiasGradient);
        for (int j = 0; j < batchChunks; j++)
        {
            (int n0, int n1) = BatchTree.Samples(j, batch);
            for (int o = 0; o < d.Outputs; o++)
            {
                float sum = 0f;
                for (int n = n0; n < n1; n++)
                {
                    sum += dzArray[(n * d.Outputs) + o];
                }

                biasGradient[(j * d.Outputs) + o] = sum;
            }
        }

        fixed (float* pi = CpuDevice.Span(op.Input), pw = CpuDevice.Span(op.Weights), pdw = CpuDevice.Span(op.WeightGradient), pdx = CpuDevice.Span(op.InputGradient))
        {
            var x = new RawSpan<float>(pi, op.Input.Length);
            var w = new RawSpan<float>(pw, op.Weights.Length);
            var dw = new RawSpan<float>(pdw, op.WeightGradient.Length);
            var dx = new RawSpan<float>(pdx, op.InputGradient.Length);
            int columns = (d.Inputs + ColumnChunk - 1) / ColumnChunk;
            cpu.For(batchChunks * d.Outputs * columns, item =>
            {
                int j = item / (d.Outputs * columns);
                int o = item / columns % d.Outputs;
                int i0 = (item % columns) * ColumnChunk;
                (int n0, int n1) = BatchTree.Samples(j, batch);
                WeightGradientColumns(d, n0, n1, x.Span, dzArray, o, i0, Math.Min(d.Inputs, i0 + ColumnChunk), dw.Slice(j * d.WeightCount, d.WeightCount));
            });
            if (!dx.IsEmpty)
            {
                cpu.For(batch, n => InputGradientSample(d, w.Span, dzArray.AsSpan(n * d.Outputs, d.Outputs), dx.Slice(n * d.Inputs, d.Inputs)));
            }
        }
    }

    /// <summary>y[o] = act(dot32(W[o, :], x) + b[o]) for one sample.</summary>
    public static void ForwardSample(in DenseDescriptor d, ReadOnlySpan<float> x, ReadOnlySpan<float> weights, ReadOnlySpan<float> bias, Span<float> y)
    {
        for (int o = 0; o < d.Outputs; o++)
        {
            float z = Dot(weights.Slice(o * d.Inputs, d.Inputs), x) + bias[o];
            y[o] = d.Activation == Activation.Relu && !(z > 0f) ? 0f : z;
        }
    }

    /// <summary>The canonical dot32 with four vector accumulators holding lanes 0-7, 8-15, 16-23, 24-31.</summary>
    public static float Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        int n = a.Length;
        int blocks = n / Dot32.Lanes;
        Vector256<float> l0 = Vector256<float>.Zero, l1 = l0, l2 = l0, l3 = l0;
        fixed (float* pa = a, pb = b)
        {
            for (int i = 0; i < blocks * Dot32.Lanes; i += Dot32.Lanes)
            {
                l0 = Vector256.FusedMultiplyAdd(Vector256.Load(pa + i), Vector256.Load(pb + i), l0);
                l1 = Vector256.FusedMultiplyAdd(Vector256.Load(pa + i + 8), Vector256.Load(pb + i + 8), l1);
                l2 = Vector256.FusedMultiplyAdd(Vector256.Load(pa + i + 16), Vector256.Load(pb + i + 16), l2);
                l3 = Vector256.FusedMultiplyAdd(Vector256.Load(pa + i + 24), Vector256.Load(pb + i + 24), l3);
            }
        }

        Span<float> lanes = stackalloc float[Dot32.Lanes];
        l0.CopyTo(lanes);
        l1.CopyTo(lanes[8..]);
        l2.CopyTo(lanes[16..]);
        l3.CopyTo(lanes[24..]);
        for (int j = blocks * Dot32.Lanes; j < n; j++)
        {
            int l = j % Dot32.Lanes;
            lanes[l] = MathF.FusedMultiplyAdd(a[j], b[j], lanes[l]);
        }

        return Dot32.Fold(lanes);
    }

    /// <summary>dz = activation-masked output gradient, for the whole batch.</summary>
    public static void MaskedGradient(in DenseDescriptor d, ReadOnlySpan<float> output, ReadOnlySpan<float> outputGradient, Span<float> dz)
    {
        for (int i = 0; i < dz.Length; i++)
        {
            dz[i] = d.Activation == Activation.Relu && !(output[i] > 0f) ? 0f : outputGradient[i];
        }
    }

    /// <summary>
    /// dW[o, i0..i1) of one chunk = fma chain from +0 over n in [n0, n1) of dz[n, o] x[n, i]; 8 features per vector,
    /// four vectors' independent chains in flight.
    /// </summary>
    public static void WeightGradientColumns(
        in DenseDescriptor d, int n0, int n1, ReadOnlySpan<float> x, ReadOnlySpan<float> dz, int o, int i0, int i1, Span<float> weightGradient)
    {
        int inputs = d.Inputs;
        fixed (float* px = x, pdz = dz, pdw = weightGradient)
        {
            int i = i0;
            for (; i + (4 * Width) <= i1; i += 4 * Width)
            {
                Vector256<float> a0 = Vector256<float>.Zero, a1 = a0, a2 = a0, a3 = a0;
                float* column = px + (n0 * inputs) + i;
                for (int n = n0; n < n1; n++, column += inputs)
                {
                    Vector256<float> g = Vector256.Create(pdz[(n * d.Outputs) + o]);
                    a0 = Vector256.FusedMultiplyAdd(g, Vector256.Load(column), a0);
                    a1 = Vector256.FusedMultiplyAdd(g, Vector256.Load(column + Width), a1);
                    a2 = Vector256.FusedMultiplyAdd(g, Vector256.Load(column + (2 * Width)), a2);
                    a3 = Vector256.FusedMultiplyAdd(g, Vector256.Load(column + (3 * Width)), a3);
                }

                float* target = pdw + (o * inputs) + i;
                Vector256.Store(a0, target);
                Vector256.Store(a1, target + Width);
                Vector256.Store(a2, target + (2 * Width));
                Vector256.Store(a3, target + (3 * Width));
            }

            for (; i + Width <= i1; i += Width)
            {
                Vector256<float> acc = Vector256<float>.Zero;
                for (int n = n0; n < n1; n++)
                {
                    acc = Vector256.FusedMultiplyAdd(Vector256.Create(pdz[(n * d.Outputs) + o]), Vector256.Load(px + (n * inputs) + i), acc);
                }

                Vector256.Store(acc, pdw + (o * inputs) + i);
            }

            for (; i < i1; i++)
            {
                float acc = 0f;
                for (int n = n0; n < n1; n++)
                {
                    acc = MathF.FusedMultiplyAdd(pdz[(n * d.Outputs) + o], px[(n * inputs) + i], acc);
                }

                pdw[(o * inputs) + i] = acc;
            }
        }
    }

    /// <summary>dx[i] = fma chain from +0 over o of W[o, i] dz[o] for one sample; four vectors' chains in flight.</summary>
    public static void InputGradientSample(in DenseDescriptor d, ReadOnlySpan<float> weights, ReadOnlySpan<float> dz, Span<float> dx)
    {
        int inputs = d.Inputs;
        fixed (float* pw = weights, pdz = dz, pdx = dx)
        {
            int i = 0;
            for (; i + (4 * Width) <= inputs; i += 4 * Width)
            {
                Vector256<float> a0 = Vector256<float>.Zero, a1 = a0, a2 = a0, a3 = a0;
                float* row = pw + i;
                for (int o = 0; o < d.Outputs; o++, row += inputs)
                {
                    Vector256<float> g = Vector256.Create(pdz[o]);
                    a0 = Vector256.FusedMultiplyAdd(Vector256.Load(row), g, a0);
                    a1 = Vector256.FusedMultiplyAdd(Vector256.Load(row + Width), g, a1);
                    a2 = Vector256.FusedMultiplyAdd(Vector256.Load(row + (2 * Width)), g, a2);
                    a3 = Vector256.FusedMultiplyAdd(Vector256.Load(row + (3 * Width)), g, a3);
                }

                Vector256.Store(a0, pdx + i);
                Vector256.Store(a1, pdx + i + Width);
                Vector256.Store(a2, pdx + i + (2 * Width));
                Vector256.Store(a3, pdx + i + (3 * Width));
            }

            for (; i + Width <= inputs; i += Width)
            {
                Vector256<float> acc = Vector256<float>.Zero;
                for (int o = 0; o < d.Outputs; o++)
                {
                    acc = Vector256.FusedMultiplyAdd(Vector256.Load(pw + (o * inputs) + i), Vector256.Create(pdz[o]), acc);
                }

                Vector256.Store(acc, pdx + i);
            }

            for (; i < inputs; i++)
            {
                float acc = 0f;
                for (int o = 0; o < d.Outputs; o++)
                {
                    acc = MathF.FusedMultiplyAdd(pw[(o * inputs) + i], pdz[o], acc);
                }

                pdx[i] = acc;
            }
        }
    }
}
