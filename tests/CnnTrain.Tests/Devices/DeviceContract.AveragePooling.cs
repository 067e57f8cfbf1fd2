using CnnTrain.Devices;
using CnnTrain.Devices.Sequential;
using CnnTrain.Layers;
using CnnTrain.Ops;
using CnnTrain.Optimizers;
using CnnTrain.Tests.Support;
using CnnTrain.Training;
using FluentAssertions;
using NUnit.Framework;

namespace CnnTrain.Tests.Devices;

/// <summary>The average pool on every device: its bits against the reference, values by hand, and a golden training run.</summary>
public abstract partial class DeviceContract
{
    /// <summary>A network that pools by averaging: a 2x2 pool after a padded convolution, an overlapping 3/2 pool, a global pool.</summary>
    public static GoldenRun AveragePoolingRun { get; } = new(
        "average pooling",
        () =>
        {
            var network = new Network(
                TensorShape.Image(1, 28, 28),
                new Conv2D(4, 3, padding: 1), new ReLU(), new AvgPool2D(2), new Conv2D(6, 3), new AvgPool2D(3, 2), new ReLU(),
                AvgPool2D.Global(), new Flatten(), new Dense(10));
            network.Initialize(9, Initialization.He);
            return network;
        },
        samples: 120,
        new TrainerOptions { BatchSize = 24, LearningRate = 0.1f, Optimizer = new Sgd(0.9f), Seed = 4 },
        epochs: 2,
        digest: "5da1b06f46f49a854c40e53fd04050a6cb16b2d30d91857470d9c5f4545b8e86",
        stepLossDigest: "1dd0e00edf15055671d2ee05193ed6b558a1001bc19ea7df122911d8747fa9ba");

    public static IEnumerable<TestCaseData> AveragePools()
    {
        yield return new TestCaseData(new Geometry("2/2", new AvgPool2DDescriptor(3, 8, 8, 2, 2, 2, 2), 2)).SetArgDisplayNames("2/2");
        yield return new TestCaseData(new Geometry("3/2 overlapping", new AvgPool2DDescriptor(2, 9, 7, 3, 3, 2, 2), 3)).SetArgDisplayNames("3/2 overlapping");
        yield return new TestCaseData(new Geometry("2/3 gaps", new AvgPool2DDescriptor(1, 5, 5, 2, 2, 3, 3), 1)).SetArgDisplayNames("2/3 gaps");
        yield return new TestCaseData(new Geometry("2/2 on a 10-wide plane (lanes span output rows)", new AvgPool2DDescriptor(3, 10, 10, 2, 2, 2, 2), 2)).SetArgDisplayNames("2/2 on a 10-wide plane");
        yield return new TestCaseData(new Geometry("3x2 window, strides 2 and 1 (lanes, last vector moved back)", new AvgPool2DDescriptor(2, 11, 9, 3, 2, 2, 1), 2)).SetArgDisplayNames("3x2 window, strides 2 and 1");
        yield return new TestCaseData(new Geometry("global 5x7", new AvgPool2DDescriptor(4, 5, 7, 5, 7, 5, 7), 2)).SetArgDisplayNames("global 5x7");
    }

    [TestCaseSource(nameof(AveragePools))]
    public void AveragePool_MatchesReference(Geometry g)
    {
        var d = (AvgPool2DDescriptor)g.Descriptor;
        float[] x = TestData.Uniform(60, g.Batch * d.InputSize, 1f);
        float[] dy = TestData.Uniform(61, g.Batch * d.OutputSize);
        Outputs Run(IComputeDevice device)
        {
            using var h = new DeviceHost(device);
            var y = h.Floats(g.Batch * d.OutputSize);
            new AvgPoolForward(d, g.Batch, h.Put(x), y).Run(device);
            var dx = h.Floats(g.Batch * d.InputSize);
            new AvgPoolBackward(d, g.Batch, h.Put(dy), dx).Run(device);
            return new Outputs { ["output"] = h.Get(y), ["inputGradient"] = h.Get(dx) };
        }

        Outputs.AssertSame(Run(new SequentialDevice()), Run(Device));
    }

    [Test]
    public void AveragePool_ComputesKnownValues()
    {
        using var h = new DeviceHost(Device);
        var d = new AvgPool2DDescriptor(1, 3, 3, 2, 2, 1, 1);
        var y = h.Floats(4);
        new AvgPoolForward(d, 1, h.Put([1f, 2, 3, 4, 5, 6, 7, 8, 9]), y).Run(Device);
        h.Get(y).Should().Equal(3f, 4f, 6f, 7f);

        // Each window passes a quarter of its gradient to its four positions; the centre is in all four windows.
        var dx = h.Floats(9);
        new AvgPoolBackward(d, 1, h.Put([4f, 8f, 12f, 16f]), dx).Run(Device);
        h.Get(dx).Should().Equal(1f, 3f, 2f, 4f, 10f, 6f, 3f, 7f, 4f);
    }

    [Test]
    public void AveragePool_GoldenRunMatchesCommittedDigestAndSequentialBits()
    {
        GoldenRun.Result result = AveragePoolingRun.Train(Device);
        result.Digest.Should().Be(AveragePoolingRun.ExpectedDigest);
        result.StepLossDigest.Should().Be(AveragePoolingRun.ExpectedStepLossDigest);
        using var reference = new SequentialDevice();
        Bits.AssertEqual(AveragePoolingRun.Train(reference).Parameters, result.Parameters, "parameters");
    }
}
