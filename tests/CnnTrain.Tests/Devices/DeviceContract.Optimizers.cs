using CnnTrain.Devices;
using CnnTrain.Devices.Sequential;
using CnnTrain.Optimizers;
using CnnTrain.Tests.Support;
using CnnTrain.Training;
using FluentAssertions;
using NUnit.Framework;

namespace CnnTrain.Tests.Devices;

/// <summary>Adam and AdamW on every device: their bits against the reference, the formula by hand, and golden training runs.</summary>
public abstract partial class DeviceContract
{
    public static GoldenRun AdamRun { get; } = OptimizerRun(
        "adam", new Adam(weightDecay: 1e-3f),
        "a66519b6e9d0e263f10bffbfc7b4fd2418b0a8aee1389e856efe1ba6aaadef74",
        "ee49a8496dde9bb3ac237d96382dbd4731991d245c8d99c468473c83c93d4ba2");

    public static GoldenRun AdamWRun { get; } = OptimizerRun(
        "adamw", new AdamW(beta1: 0.8f, beta2: 0.99f, epsilon: 1e-6f, weightDecay: 0.05f),
        "315d6739c591fd81dfd8ba369b08c979deb408bf18cae8c973e4be5046b7a212",
        "8956a64d0cec265ee88d2c1be76948513225dbd52d349d2e19dccc7884f5485f");

    public static IEnumerable<TestCaseData> OptimizerRuns() =>
        [new TestCaseData(AdamRun).SetArgDisplayNames("adam"), new TestCaseData(AdamWRun).SetArgDisplayNames("adamw")];

    [Test]
    public void Adam_MatchesReference()
    {
        // η/(1 − β1^t) and 1/√(1 − β2^t) as a trainer would upload them for step 3.
        var adam = new Adam(weightDecay: 1e-3f);
        Outputs Run(IComputeDevice device) => UpdateTwice(device, adam, [0.01f, 31.6f]);

        Outputs.AssertSame(Run(new SequentialDevice()), Run(Device));
    }

    [Test]
    public void AdamW_MatchesReference()
    {
        var adamW = new AdamW();
        Outputs Run(IComputeDevice device) => UpdateTwice(device, adamW, [0.01f, 31.6f, 0.9999f]);

        Outputs.AssertSame(Run(new SequentialDevice()), Run(Device));
    }

    [Test]
    public void Adam_AppliesTheFormula()
    {
        using var h = new DeviceHost(Device);
        var w = h.Put([1f, 1f]);
        var m = h.Put([0f, 0f]);
        var v = h.Put([0f, 0f]);
        // g = 0.5 (and 0.25 + 0.25); m = 0.5 * g = 0.25; v = 0.25 * g² = 0.0625; d = √v * 2 = 0.5; w = 1 − 0.5 * (0.25 / 0.5) = 0.75
        new Adam(beta1: 0.5f, beta2: 0.75f, epsilon: 0f).Update(Device, [new UpdateTensor(w, h.Put([0.25f, 0.5f, 0.25f, 0f]), BatchPartials.PerSample(2), [m, v])], h.Put([0.5f, 2f]));
        h.Get(m).Should().Equal(0.25f, 0.25f);
        h.Get(v).Should().Equal(0.0625f, 0.0625f);
        h.Get(w).Should().Equal(0.75f, 0.75f);
    }

    [Test]
    public void AdamW_ShrinksTheWeightsBeforeTheStep()
    {
        using var h = new DeviceHost(Device);
        var w = h.Put([1f]);
        var m = h.Put([0f]);
        var v = h.Put([0f]);
        // w = 1 * 0.5; then the same step as above: w = 0.5 − 0.25 = 0.25. The decay never enters the moments.
        new AdamW(beta1: 0.5f, beta2: 0.75f, epsilon: 0f, weightDecay: 5f).Update(Device, [new UpdateTensor(w, h.Put([0.5f]), BatchPartials.PerSample(1), [m, v])], h.Put([0.5f, 2f, 0.5f]));
        h.Get(m).Should().Equal(0.25f);
        h.Get(w).Should().Equal(0.25f);
    }

    [TestCaseSource(nameof(OptimizerRuns))]
    public void Optimizer_GoldenRunMatchesCommittedDigestAndSequentialBits(GoldenRun run)
    {
        GoldenRun.Result result = run.Train(Device);
        result.Digest.Should().Be(run.ExpectedDigest);
        result.StepLossDigest.Should().Be(run.ExpectedStepLossDigest);
        using var reference = new SequentialDevice();
        Bits.AssertEqual(run.Train(reference).Parameters, result.Parameters, "parameters");
    }

    // The deep golden network (strides, padding, overlapping and standalone pools), trained with another optimizer.
    private static GoldenRun OptimizerRun(string name, Optimizer optimizer, string digest, string losses) => new(
        name,
        GoldenRun.Deep.CreateNetwork,
        samples: 150,
        new TrainerOptions { BatchSize = 20, LearningRate = 0.003f, Optimizer = optimizer, Seed = 3, Schedule = LearningRateSchedule.Step(1, 0.5) },
        epochs: 2,
        digest,
        losses);
}
