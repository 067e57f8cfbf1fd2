using CnnTrain.Data;
using CnnTrain.Devices;
using CnnTrain.Devices.Multicore;
using CnnTrain.Devices.Sequential;
using CnnTrain.Tests.Support;
using CnnTrain.Training;
using FluentAssertions;
using NUnit.Framework;
using CnnTrain.Optimizers;

namespace CnnTrain.Tests.Persistence;

public class CheckpointTests
{
    private static readonly TrainerOptions Options = new()
    {
        BatchSize = 32, LearningRate = 0.05f, Optimizer = new Sgd(0.9f, 1e-4f), Seed = 9,
        Schedule = LearningRateSchedule.Step(everyEpochs: 1, gamma: 0.5),
    };

    private static Dataset Train => TestData.BundledTrain.Slice(0, 200);

    private static Dataset Test => TestData.BundledTest.Slice(0, 60);

    public static IEnumerable<TestCaseData> Devices()
    {
        yield return new TestCaseData(new Func<IComputeDevice>(() => new SequentialDevice())).SetArgDisplayNames("sequential");
        yield return new TestCaseData(new Func<IComputeDevice>(() => new MulticoreDevice(2))).SetArgDisplayNames("multicore 2");
    }

    [TestCaseSource(nameof(Devices))]
    public void ResumingFromACheckpointMatchesAnUninterruptedRunBitForBit(Func<IComputeDevice> create)
    {
        using IComputeDevice device = create();
        Network straight = Network.CreateStudy(4, initialization: Initialization.He, seed: 2);
        using (var trainer = new Trainer(straight, device, Options))
        {
            trainer.Fit(Train, Test, epochs: 3);
        }

        string path = Path.Combine(Path.GetTempPath(), $"cnntrain-{Guid.NewGuid():N}.ckpt");
        try
        {
            Network first = Network.CreateStudy(4, initialization: Initialization.He, seed: 2);
            using (var trainer = new Trainer(first, device, Options))
            {
                trainer.Fit(Train, Test, epochs: 1);
                trainer.SaveCheckpoint(path);
            }

            using Trainer resumed = Trainer.Resume(path, device);
            resumed.EpochsCompleted.Should().Be(1);
            resumed.History.Should().ContainSingle().Which.Test!.Accuracy.Should().BeGreaterThan(0);
            resumed.Options.Should().Be(Options);
            resumed.Fit(Train, Test, epochs: 2);
            resumed.Network.GetParameterDigest().Should().Be(straight.GetParameterDigest());
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public void ACheckpointKeepsTheMomentum()
    {
        using var device = new SequentialDevice();
        using var trainer = new Trainer(Network.CreateStudy(4, seed: 1), device, Options);
        trainer.Fit(Train, epochs: 1);
        using var stream = new MemoryStream();
        trainer.SaveCheckpoint(stream);
        stream.Position = 0;
        using Trainer resumed = Trainer.Resume(stream, device, null);
        resumed.StepsCompleted.Should().Be(trainer.StepsCompleted).And.Be(7, "200 samples in batches of 32 are 7 steps");
        IReadOnlyList<IReadOnlyList<float[]>> kept = resumed.GetOptimizerState(), saved = trainer.GetOptimizerState();
        kept.Should().HaveCount(saved.Count);
        for (int i = 0; i < saved.Count; i++)
        {
            kept[i].Should().ContainSingle("SGD keeps one velocity per parameter").Which.Should().Equal(saved[i][0]);
        }

        kept.SelectMany(p => p).Should().Contain(v => v.Any(x => x != 0f), "one epoch of momentum is not all zeros");
    }

    [Test]
    public void ACustomScheduleCannotBeSaved()
    {
        using var device = new SequentialDevice();
        using var trainer = new Trainer(Network.CreateStudy(2, seed: 1), device, new TrainerOptions { Schedule = new CnnTrain.Tests.Training.FixedSchedule(_ => 0.01) });
        FluentActions.Invoking(() => trainer.SaveCheckpoint(new MemoryStream()))
            .Should().Throw<NotSupportedException>().WithMessage("*FixedSchedule*");
    }
}
