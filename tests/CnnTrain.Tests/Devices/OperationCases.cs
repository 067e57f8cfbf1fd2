using CnnTrain.Ops;
using NUnit.Framework;

namespace CnnTrain.Tests.Devices;

/// <summary>A geometry under test; the descriptors are internal to the library, so the test methods take this.</summary>
public sealed class Geometry
{
    private readonly string _name;

    internal Geometry(string name, object descriptor, int batch, float step = 0f)
    {
        _name = name;
        Descriptor = descriptor;
        Batch = batch;
        Step = step;
    }

    internal object Descriptor { get; }

    internal Convolution2DDescriptor Convolution => (Convolution2DDescriptor)Descriptor;

    internal DenseDescriptor Dense => (DenseDescriptor)Descriptor;

    internal Pool2DDescriptor Pool => (Pool2DDescriptor)Descriptor;

    public int Batch { get; }

    /// <summary>When positive, inputs are multiples of it, which makes ties and exact zeros common.</summary>
    public float Step { get; }

    public override string ToString() => _name;
}

/// <summary>Geometries that exercise every path of every device: vector and scalar widths, padding, strides, overlapping pools.</summary>
public static class OperationCases
{
    public static IEnumerable<TestCaseData> Convolutions()
    {
        yield return Case("study block", new Convolution2DDescriptor(1, 28, 28, 8, 3, activation: Activation.Relu, poolSize: 2, poolStride: 2), batch: 3, step: 0f);
        yield return Case("filters not a multiple of 8, ties", new Convolution2DDescriptor(1, 12, 12, 11, 3, activation: Activation.Relu, poolSize: 2, poolStride: 2), batch: 2, step: 0.25f);
        yield return Case("stride 2, padding 1, no activation", new Convolution2DDescriptor(3, 9, 10, 5, 3, stride: 2, padding: 1), batch: 2, step: 0f);
        yield return Case("2x2 kernel, relu, no pool", new Convolution2DDescriptor(2, 11, 11, 4, 2, activation: Activation.Relu), batch: 3, step: 0f);
        yield return Case("overlapping pool 3/2, padding 1", new Convolution2DDescriptor(2, 13, 13, 6, 3, padding: 1, activation: Activation.Relu, poolSize: 3, poolStride: 2), batch: 2, step: 0.5f);
        yield return Case("5x5 kernel, padding 2, pool without relu", new Convolution2DDescriptor(1, 8, 8, 16, 5, padding: 2, poolSize: 2, poolStride: 2), batch: 2, step: 0f);
        yield return Case("stride 2 with a 2x2 pool", new Convolution2DDescriptor(2, 15, 15, 5, 3, stride: 2, activation: Activation.Relu, poolSize: 2, poolStride: 2), batch: 3, step: 0.25f);
        yield return Case("3x3 pool of stride 3", new Convolution2DDescriptor(1, 14, 14, 3, 3, activation: Activation.Relu, poolSize: 3, poolStride: 3), batch: 2, step: 0.5f);
        yield return Case("pool of stride 3 over 2x2 windows (gaps)", new Convolution2DDescriptor(2, 12, 12, 9, 2, poolSize: 2, poolStride: 3), batch: 2, step: 0f);
        yield return Case("narrow output, wide filter bank", new Convolution2DDescriptor(4, 6, 6, 24, 3, activation: Activation.Relu, poolSize: 2, poolStride: 2), batch: 4, step: 0f);
        // Shapes that span several tiles of the GPU's implicit GEMMs in every direction, with partial tiles.
        yield return Case("GEMM tiles: 70 filters, 33 channels", new Convolution2DDescriptor(33, 9, 9, 70, 3, padding: 1, activation: Activation.Relu, poolSize: 2, poolStride: 2), batch: 3, step: 0f);
        yield return Case("5x5 kernel, stride 3, padding 2", new Convolution2DDescriptor(5, 17, 16, 20, 5, stride: 3, padding: 2, activation: Activation.Relu), batch: 2, step: 0f);
        yield return Case("1x1 kernel, 40 channels", new Convolution2DDescriptor(40, 6, 7, 17, 1), batch: 5, step: 0.25f);
        yield return Case("stride 2, 3x3, 130 taps and 1 filter", new Convolution2DDescriptor(15, 11, 11, 1, 3, stride: 2, activation: Activation.Relu), batch: 3, step: 0f);

        // The Multicore products with lanes along positions, taps, filters or channels, whichever wastes less:
        // odd sizes, every padding below the kernel, strides 2 and 3, F and C off the vector widths, batch 1 and 3.
        yield return Case("odd 7x9, 3x3, padding 2, relu, batch 1", new Convolution2DDescriptor(3, 7, 9, 10, 3, padding: 2, activation: Activation.Relu), batch: 1, step: 0f);
        yield return Case("5x5, stride 2, padding 2, pool", new Convolution2DDescriptor(2, 17, 13, 7, 5, stride: 2, padding: 2, activation: Activation.Relu, poolSize: 2, poolStride: 2), batch: 3, step: 0f);
        yield return Case("stride 3, padding 1, 17 filters", new Convolution2DDescriptor(3, 16, 19, 17, 3, stride: 3, padding: 1), batch: 3, step: 0f);
        yield return Case("5x5, stride 3, padding 4, relu, batch 1", new Convolution2DDescriptor(1, 11, 11, 6, 5, stride: 3, padding: 4, activation: Activation.Relu), batch: 1, step: 0.5f);
        yield return Case("3x3 plane, 40 channels, 33 filters, padding 1", new Convolution2DDescriptor(40, 3, 3, 33, 3, padding: 1, activation: Activation.Relu), batch: 2, step: 0f);
        yield return Case("kernel as large as the input (1x1 output)", new Convolution2DDescriptor(5, 4, 4, 19, 4), batch: 3, step: 0f);
        yield return Case("1x1 kernel, stride 2", new Convolution2DDescriptor(6, 9, 9, 12, 1, stride: 2, activation: Activation.Relu), batch: 2, step: 0f);
        yield return Case("32x32, padding 1, 20 filters, 2x2 pool", new Convolution2DDescriptor(4, 32, 32, 20, 3, padding: 1, activation: Activation.Relu, poolSize: 2, poolStride: 2), batch: 2, step: 0f);
        yield return Case("lenet second block, 2x2 pool of a 10-wide plane (pool lanes span rows)", new Convolution2DDescriptor(6, 14, 14, 16, 5, activation: Activation.Relu, poolSize: 2, poolStride: 2), batch: 3, step: 0.25f);
        yield return Case("lenet first block, 5x5 padding 2", new Convolution2DDescriptor(1, 28, 28, 6, 5, padding: 2, activation: Activation.Relu, poolSize: 2, poolStride: 2), batch: 3, step: 0f);
        yield return Case("stride 2, padding 1, overlapping pool 3/2, ties", new Convolution2DDescriptor(3, 21, 21, 9, 3, stride: 2, padding: 1, activation: Activation.Relu, poolSize: 3, poolStride: 2), batch: 2, step: 0.25f);
        yield return Case("3x3, stride 2, padding 2, zeros and ties", new Convolution2DDescriptor(2, 10, 11, 8, 3, stride: 2, padding: 2, activation: Activation.Relu), batch: 3, step: 0.5f);
        yield return Case("small plane, many channels, stride 2, padding 1 (lanes along channels)", new Convolution2DDescriptor(24, 5, 5, 10, 3, stride: 2, padding: 1, activation: Activation.Relu), batch: 3, step: 0f);
        yield return Case("small plane, many channels, pooled (lanes along channels)", new Convolution2DDescriptor(32, 6, 6, 12, 3, padding: 1, activation: Activation.Relu, poolSize: 2, poolStride: 2), batch: 1, step: 0.5f);
        yield return Case("many filters over a wide row (lanes along taps and positions)", new Convolution2DDescriptor(2, 9, 40, 70, 2), batch: 2, step: 0f);
    }

    public static IEnumerable<TestCaseData> Denses()
    {
        yield return Case("study head 5408->10", new DenseDescriptor(5408, 10), 4);
        yield return Case("37->13 relu", new DenseDescriptor(37, 13, Activation.Relu), 5);
        yield return Case("64->3 batch 1", new DenseDescriptor(64, 3), 1);
        yield return Case("3->40 relu", new DenseDescriptor(3, 40, Activation.Relu), 9);
        // Enough 4x4 blocks of samples and outputs for the GPU's tiled forward kernel, with partial blocks both ways.
        yield return Case("70->301 relu batch 109 (tiled forward)", new DenseDescriptor(70, 301, Activation.Relu), 109);
        // The Multicore tiles' edges: 2 outputs x 3 samples forward, 4 rows x 16 columns backward, tasks of 512 inputs,
        // 32 outputs and 16 samples; inputs past the last whole block of 32, 16 and 8.
        yield return Case("1031->130 relu batch 33", new DenseDescriptor(1031, 130, Activation.Relu), 33);
        yield return Case("545->67 batch 17", new DenseDescriptor(545, 67), 17);
        yield return Case("33->7 relu batch 40", new DenseDescriptor(33, 7, Activation.Relu), 40);
        yield return Case("63->5 batch 1", new DenseDescriptor(63, 5), 1);
        yield return Case("8->1 batch 2", new DenseDescriptor(8, 1), 2);
        foreach (int batch in BatchSizes)
        {
            // A small head (at most 16 outputs) and a wide layer take different GEMM tiles on the GPU.
            yield return Case($"75->10 relu batch {batch}", new DenseDescriptor(75, 10, Activation.Relu), batch);
            yield return Case($"19->33 batch {batch}", new DenseDescriptor(19, 33), batch);
        }
    }

    /// <summary>Batches of one chunk, exactly one, one sample into a second, several, and not a multiple of 16.</summary>
    public static int[] BatchSizes { get; } = [1, 16, 17, 40, 100];

    public static IEnumerable<TestCaseData> Pools()
    {
        yield return Case("2/2", new Pool2DDescriptor(3, 8, 8, 2, 2), 2);
        yield return Case("3/2 overlapping", new Pool2DDescriptor(2, 9, 7, 3, 2), 3);
        yield return Case("2/3 gaps", new Pool2DDescriptor(1, 5, 5, 2, 3), 1);
        yield return Case("2/2 on a 10-wide plane, ties (lanes span output rows)", new Pool2DDescriptor(4, 10, 10, 2, 2), 2, step: 0.5f);
        yield return Case("3/1 over 11x13, ties (lanes, last vector moved back)", new Pool2DDescriptor(2, 11, 13, 3, 1), 2, step: 0.25f);
        yield return Case("4/3 gaps over 17x15 (lanes)", new Pool2DDescriptor(3, 17, 15, 4, 3), 1);
    }

    private static TestCaseData Case(string name, object descriptor, int batch, float step = 0f) =>
        new TestCaseData(new Geometry(name, descriptor, batch, step)).SetArgDisplayNames(name);
}
