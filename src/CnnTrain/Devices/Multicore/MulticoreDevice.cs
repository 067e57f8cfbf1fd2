using System.Runtime.Intrinsics;
using CnnTrain.Devices.Cpu;
using CnnTrain.Devices.Sequential;

namespace CnnTrain.Devices.Multicore;

/// <summary>
/// All CPU cores: work is spread over threads with the TPL (across samples, or across independent outputs)
/// and vectorised with SIMD inside each thread. Every output element is still computed by one chain of
/// operations in the canonical order, so neither the thread count nor the vector width changes a bit.
/// </summary>
public sealed unsafe class MulticoreDevice : CpuDevice
{
    private const int ColumnChunk = 256;
    private const int UpdateChunk = 4096;
    private readonly ParallelOptions _parallel;

    /// <summary>Creates the device.</summary>
    /// <param name="threads">Worker threads; null for <see cref="Environment.ProcessorCount"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="threads"/> is below 1.</exception>
    public MulticoreDevice(int? threads = null)
    {
        if (threads is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(threads), threads, "A multicore device needs at least 1 thread.");
        }

        Threads = threads ?? Environment.ProcessorCount;
        _parallel = new ParallelOptions { MaxDegreeOfParallelism = Threads };
    }

    /// <summary>The number of worker threads.</summary>
    public int Threads { get; }

    /// <summary>Whether the vector paths run on hardware SIMD (else .NET emulates them, with the same results).</summary>
    public static bool IsHardwareAccelerated => Vector256.IsHardwareAccelerated;

    /// <inheritdoc />
    public override string Name => $"multicore ({Threads} threads{(IsHardwareAccelerated ? ", 256-bit SIMD" : string.Empty)})";

    /// <inheritdoc />
    protected override void GatherCore<T>(ReadOnlySpan<T> source, int rowLength, int sourceRows, ReadOnlySpan<int> rows, Span<T> destination)
    {
        fixed (T* ps = source, pd = destination)
        fixed (int* pr = rows)
        {
            var s = new RawSpan<T>(ps, source.Length);
            var d = new RawSpan<T>(pd, destination.Length);
            var r = new RawSpan<int>(pr, rows.Length);
            int chunk = Math.Max(1, 65536 / rowLength);
            For((rows.Length + chunk - 1) / chunk, i =>
            {
                int first = i * chunk;
                int count = Math.Min(chunk, r.Length - first);
                Cpu.Ops.Gather.Rows(s.Span, rowLength, sourceRows, r.Slice(first, count), d.Slice(first * rowLength, count * rowLength));
            });
        }
    }

    /// <inheritdoc />
    protected override void Convolution2DForwardCore(
        in Convolution2DDescriptor d, int batch, ReadOnlySpan<float> input, ReadOnlySpan<float> weights,
        ReadOnlySpan<float> bias, Span<float> output, Span<int> poolIndices)
    {
        Convolution2DDescriptor desc = d;
        fixed (float* pi = input, pw = weights, pb = bias, po = output)
        fixed (int* px = poolIndices)
        {
            var x = new RawSpan<float>(pi, input.Length);
            var w = new RawSpan<float>(pw, weights.Length);
            var b = new RawSpan<float>(pb, bias.Length);
            var y = new RawSpan<float>(po, output.Length);
            var idx = new RawSpan<int>(px, poolIndices.Length);
            int planeSize = desc.ConvolutionHeight * desc.ConvolutionWidth;
            ForEachSample(batch, () => new float[planeSize], (n, plane) => SimdConvolution.ForwardSample(
                desc, x.Slice(n * desc.InputSize, desc.InputSize), w.Span, b.Span, y.Slice(n * desc.OutputSize, desc.OutputSize),
                idx.IsEmpty ? default : idx.Slice(n * desc.OutputSize, desc.OutputSize), plane));
        }
    }

    /// <inheritdoc />
    protected override void Convolution2DBackwardCore(
        in Convolution2DDescriptor d, int batch, ReadOnlySpan<float> input, ReadOnlySpan<float> weights,
        ReadOnlySpan<float> output, ReadOnlySpan<int> poolIndices, ReadOnlySpan<float> outputGradient,
        Span<float> weightPartials, Span<float> biasPartials, Span<float> inputGradient)
    {
        Convolution2DDescriptor desc = d;
        fixed (float* pi = input, pw = weights, po = output, pg = outputGradient, pwp = weightPartials, pbp = biasPartials, pdx = inputGradient)
        fixed (int* px = poolIndices)
        {
            var x = new RawSpan<float>(pi, input.Length);
            var w = new RawSpan<float>(pw, weights.Length);
            var y = new RawSpan<float>(po, output.Length);
            var idx = new RawSpan<int>(px, poolIndices.Length);
            var dy = new RawSpan<float>(pg, outputGradient.Length);
            var wp = new RawSpan<float>(pwp, weightPartials.Length);
            var bp = new RawSpan<float>(pbp, biasPartials.Length);
            var dx = new RawSpan<float>(pdx, inputGradient.Length);
            ForEachSample(batch, () => new float[2 * desc.ConvolutionSize], (n, scratch) =>
            {
                Span<float> dz = scratch.AsSpan(0, desc.ConvolutionSize);
                Span<float> dzT = scratch.AsSpan(desc.ConvolutionSize, desc.ConvolutionSize);
                int o = n * desc.OutputSize;
                ReadOnlySpan<float> sample = x.Slice(n * desc.InputSize, desc.InputSize);
                ReadOnlySpan<float> outputs = y.Slice(o, desc.OutputSize);
                ReadOnlySpan<int> winners = idx.IsEmpty ? default : idx.Slice(o, desc.OutputSize);
                ReadOnlySpan<float> gradient = dy.Slice(o, desc.OutputSize);
                Span<float> weightPartial = wp.Slice(n * desc.WeightCount, desc.WeightCount);
                Span<float> biasPartial = bp.Slice(n * desc.Filters, desc.Filters);
                bool shortcut = SimdConvolution.TakesPooledShortcut(desc);
                if (shortcut)
                {
                    SimdConvolution.FilterPartialsFromPool(desc, sample, outputs, winners, gradient, dzT, weightPartial, biasPartial);
                }

                if (!shortcut || !dx.IsEmpty)
                {
                    ReferenceConvolution.ConvolutionGradient(desc, outputs, winners, gradient, dz);
                }

                if (!shortcut)
                {
                    SimdConvolution.FilterPartials(desc, sample, dz, dzT, weightPartial, biasPartial);
                }

                if (!dx.IsEmpty)
                {
                    ReferenceConvolution.InputGradient(desc, w.Span, dz, dx.Slice(n * desc.InputSize, desc.InputSize));
                }
            });
        }
    }

    /// <inheritdoc />
    protected override void ReluForwardCore(ReadOnlySpan<float> input, Span<float> output) => ReferenceRelu.Forward(input, output);

    /// <inheritdoc />
    protected override void ReluBackwardCore(ReadOnlySpan<float> output, ReadOnlySpan<float> outputGradient, Span<float> inputGradient) =>
        ReferenceRelu.Backward(output, outputGradient, inputGradient);

    /// <inheritdoc />
    protected override void MaxPool2DForwardCore(in Pool2DDescriptor d, int batch, ReadOnlySpan<float> input, Span<float> output, Span<int> indices) =>
        ReferencePooling.Forward(d, batch, input, output, indices);

    /// <inheritdoc />
    protected override void MaxPool2DBackwardCore(in Pool2DDescriptor d, int batch, ReadOnlySpan<float> outputGradient, ReadOnlySpan<int> indices, Span<float> inputGradient) =>
        ReferencePooling.Backward(d, batch, outputGradient, indices, inputGradient);

    /// <inheritdoc />
    protected override void DenseForwardCore(
        in DenseDescriptor d, int batch, ReadOnlySpan<float> input, ReadOnlySpan<float> weights, ReadOnlySpan<float> bias, Span<float> output)
    {
        DenseDescriptor desc = d;
        fixed (float* pi = input, pw = weights, pb = bias, po = output)
        {
            var x = new RawSpan<float>(pi, input.Length);
            var w = new RawSpan<float>(pw, weights.Length);
            var b = new RawSpan<float>(pb, bias.Length);
            var y = new RawSpan<float>(po, output.Length);
            For(batch, n => SimdDense.ForwardSample(desc, x.Slice(n * desc.Inputs, desc.Inputs), w.Span, b.Span, y.Slice(n * desc.Outputs, desc.Outputs)));
        }
    }

    /// <inheritdoc />
    protected override void DenseBackwardCore(
        in DenseDescriptor d, int batch, ReadOnlySpan<float> input, ReadOnlySpan<float> weights, ReadOnlySpan<float> output,
        ReadOnlySpan<float> outputGradient, Span<float> weightGradient, Span<float> biasGradient, Span<float> inputGradient)
    {
        DenseDescriptor desc = d;
        float[] dzArray = new float[batch * d.Outputs];
        SimdDense.MaskedGradient(d, output, outputGradient, dzArray);
        for (int o = 0; o < d.Outputs; o++)
        {
            float sum = 0f;
            for (int n = 0; n < batch; n++)
            {
                sum += dzArray[(n * d.Outputs) + o];
            }

            biasGradient[o] = sum;
        }

        fixed (float* pi = input, pw = weights, pdw = weightGradient, pdx = inputGradient)
        {
            var x = new RawSpan<float>(pi, input.Length);
            var w = new RawSpan<float>(pw, weights.Length);
            var dw = new RawSpan<float>(pdw, weightGradient.Length);
            var dx = new RawSpan<float>(pdx, inputGradient.Length);
            int chunks = (d.Inputs + ColumnChunk - 1) / ColumnChunk;
            For(d.Outputs * chunks, item =>
            {
                int o = item / chunks;
                int i0 = (item % chunks) * ColumnChunk;
                SimdDense.WeightGradientColumns(desc, batch, x.Span, dzArray, o, i0, Math.Min(desc.Inputs, i0 + ColumnChunk), dw.Span);
            });
            if (!dx.IsEmpty)
            {
                For(batch, n => SimdDense.InputGradientSample(
                    desc, w.Span, dzArray.AsSpan(n * desc.Outputs, desc.Outputs), dx.Slice(n * desc.Inputs, desc.Inputs)));
            }
        }
    }

    /// <inheritdoc />
    protected override void SgdUpdateCore(
        Span<float> values, ReadOnlySpan<float> gradient, int partialCount, Span<float> velocity, float learningRate, float momentum, float weightDecay)
    {
        int length = values.Length;
        fixed (float* pv = values, pg = gradient, pvel = velocity)
        {
            nint v = (nint)pv, g = (nint)pg, vel = (nint)pvel;
            For((length + UpdateChunk - 1) / UpdateChunk, i => SimdSgd.UpdateRange(
                (float*)v, (float*)g, length, partialCount, (float*)vel, i * UpdateChunk, Math.Min(length, (i + 1) * UpdateChunk),
                learningRate, momentum, weightDecay));
        }
    }

    private void For(int count, Action<int> body)
    {
        if (Threads == 1 || count <= 1)
        {
            for (int i = 0; i < count; i++)
            {
                body(i);
            }

            return;
        }

        Parallel.For(0, count, _parallel, body);
    }

    // Per-thread scratch (one allocation per worker and call, not per sample).
    private void ForEachSample(int batch, Func<float[]> scratch, Action<int, float[]> body)
    {
        if (Threads == 1 || batch == 1)
        {
            float[] local = scratch();
            for (int n = 0; n < batch; n++)
            {
                body(n, local);
            }

            return;
        }

        Parallel.For(0, batch, _parallel, scratch, (n, _, local) =>
        {
            body(n, local);
            return local;
        }, _ => { });
    }
}
