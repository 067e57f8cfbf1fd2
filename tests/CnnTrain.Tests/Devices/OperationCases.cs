using NUnit.Framework;
using CnnTrain.Devices;

namespace CnnTrain.Tests.Devices;

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
    }

    public static IEnumerable<TestCaseData> Denses()
    {
        yield return new TestCaseData(new DenseDescriptor(5408, 10), 4).SetArgDisplayNames("study head 5408->10");
        yield return new TestCaseData(new DenseDescriptor(37, 13, Activation.Relu), 5).SetArgDisplayNames("37->13 relu");
        yield return new TestCaseData(new DenseDescriptor(64, 3), 1).SetArgDisplayNames("64->3 batch 1");
        yield return new TestCaseData(new DenseDescriptor(3, 40, Activation.Relu), 9).SetArgDisplayNames("3->40 relu");
    }

    public static IEnumerable<TestCaseData> Pools()
    {
        yield return new TestCaseData(new Pool2DDescriptor(3, 8, 8, 2, 2), 2).SetArgDisplayNames("2/2");
        yield return new TestCaseData(new Pool2DDescriptor(2, 9, 7, 3, 2), 3).SetArgDisplayNames("3/2 overlapping");
        yield return new TestCaseData(new Pool2DDescriptor(1, 5, 5, 2, 3), 1).SetArgDisplayNames("2/3 gaps");
    }

    private static TestCaseData Case(string name, Convolution2DDescriptor d, int batch, float step) =>
        new TestCaseData(d, batch, step).SetArgDisplayNames(name);
}
