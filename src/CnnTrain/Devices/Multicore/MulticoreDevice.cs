using CnnTrain.Devices.Cpu;
using CnnTrain.Devices.Sequential;

namespace CnnTrain.Devices.Multicore;

/// <summary>
/// All CPU cores: work is spread over threads with the TPL (across samples, or across independent outputs)
/// and vectorised with SIMD inside each thread. Every output element is still computed by one chain of
/// operations in the canonical order, so the thread count never changes a bit.
/// </summary>
public sealed class MulticoreDevice : CpuDevice
{
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

    /// <inheritdoc />
    public override string Name => $"multicore ({Threads} threads)";

    /// <inheritdoc />
    protected override void GatherCore<T>(ReadOnlySpan<T> source, int rowLength, int sourceRows, ReadOnlySpan<int> rows, Span<T> destination) =>
        Cpu.Ops.Gather.Rows(source, rowLength, sourceRows, rows, destination);

    /// <inheritdoc />
    protected override unsafe void Convolution2DForwardCore(
        in Convolution2DDescriptor d, int batch, ReadOnlySpan<float> input, ReadOnlySpan<float> weights,
        ReadOnlySpan<float> bias, Span<float> output, Span<int> poolIndices)
    {
        var desc = d;
        fixed (float* pi = input, pw = weights, pb = bias, po = output)
        fixed (int* px = poolIndices)
        {
            nint ni = (nint)pi, nw = (nint)pw, nb = (nint)pb, no = (nint)po, nx = (nint)px;
            int poolLength = poolIndices.Length;
            Parallel.For(0, batch, _parallel, n =>
            {
                var sIn = new ReadOnlySpan<float>((float*)ni + (n * desc.InputSize), desc.InputSize);
                var sOut = new Span<float>((float*)no + (n * desc.OutputSize), desc.OutputSize);
                var sIdx = poolLength == 0 ? default : new Span<int>((int*)nx + (n * desc.OutputSize), desc.OutputSize);
                ReferenceConvolution.Forward(desc, 1, sIn, new ReadOnlySpan<float>((float*)nw, desc.WeightCount), new ReadOnlySpan<float>((float*)nb, desc.Filters), sOut, sIdx);
            });
        }
    }

    /// <inheritdoc />
    protected override unsafe void Convolution2DBackwardCore(
        in Convolution2DDescriptor d, int batch, ReadOnlySpan<float> input, ReadOnlySpan<float> weights,
        ReadOnlySpan<float> output, ReadOnlySpan<int> poolIndices, ReadOnlySpan<float> outputGradient,
        Span<float> weightPartials, Span<float> biasPartials, Span<float> inputGradient)
    {
        var desc = d;
        fixed (float* pi = input, pw = weights, po = output, pg = outputGradient, pwp = weightPartials, pbp = biasPartials, pdx = inputGradient)
        fixed (int* px = poolIndices)
        {
            nint ni = (nint)pi, nw = (nint)pw, no = (nint)po, ng = (nint)pg, nwp = (nint)pwp, nbp = (nint)pbp, ndx = (nint)pdx, nx = (nint)px;
            bool hasDx = !inputGradient.IsEmpty, hasIdx = !poolIndices.IsEmpty;
            Parallel.For(0, batch, _parallel, n =>
            {
                ReferenceConvolution.Backward(
                    desc, 1,
                    new ReadOnlySpan<float>((float*)ni + (n * desc.InputSize), desc.InputSize),
                    new ReadOnlySpan<float>((float*)nw, desc.WeightCount),
                    new ReadOnlySpan<float>((float*)no + (n * desc.OutputSize), desc.OutputSize),
                    hasIdx ? new ReadOnlySpan<int>((int*)nx + (n * desc.OutputSize), desc.OutputSize) : default,
                    new ReadOnlySpan<float>((float*)ng + (n * desc.OutputSize), desc.OutputSize),
                    new Span<float>((float*)nwp + (n * desc.WeightCount), desc.WeightCount),
                    new Span<float>((float*)nbp + (n * desc.Filters), desc.Filters),
                    hasDx ? new Span<float>((float*)ndx + (n * desc.InputSize), desc.InputSize) : default);
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
        in DenseDescriptor d, int batch, ReadOnlySpan<float> input, ReadOnlySpan<float> weights, ReadOnlySpan<float> bias, Span<float> output) =>
        ReferenceDense.Forward(d, batch, input, weights, bias, output);

    /// <inheritdoc />
    protected override void DenseBackwardCore(
        in DenseDescriptor d, int batch, ReadOnlySpan<float> input, ReadOnlySpan<float> weights, ReadOnlySpan<float> output,
        ReadOnlySpan<float> outputGradient, Span<float> weightGradient, Span<float> biasGradient, Span<float> inputGradient) =>
        ReferenceDense.Backward(d, batch, input, weights, output, outputGradient, weightGradient, biasGradient, inputGradient);

    /// <inheritdoc />
    protected override void SgdUpdateCore(
        Span<float> values, ReadOnlySpan<float> gradient, int partialCount, Span<float> velocity, float learningRate, float momentum, float weightDecay) =>
        ReferenceSgd.Update(values, gradient, partialCount, velocity, learningRate, momentum, weightDecay);
}
