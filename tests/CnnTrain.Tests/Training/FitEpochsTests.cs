using CnnTrain.Data;
using CnnTrain.Devices.Sequential;
using CnnTrain.Tests.Support;
using CnnTrain.Training;
using FluentAssertions;
using NUnit.Framework;

namespace CnnTrain.Tests.Training;

public class FitEpochsTests
{
    private static readonly TrainerOptions Small = SmallRun.Options;

    private static Dataset Train => SmallRun.Train;

    private static Dataset Test => SmallRun.Test;

    [Test]
    public void Each_epoch_is_yielded_as_it_ends_before_the_next_one_trains()
    {
        using var device = new SequentialDevice();
        Network network = SmallRun.CreateNetwork();
        using var trainer = new Trainer(network, device, Small);
        var log = new List<string>();
        trainer.EpochCompleted += (_, e) => log.Add($"event {e.Metrics.Epoch}");
        var progress = new InlineProgress<TrainingProgress>(p => log.Add($"progress {p.Epoch}:{p.Step}"));

        IEnumerable<EpochMetrics> epochs = trainer.FitEpochs(Train, Test, epochs: 2, progress: progress);
        log.Should().BeEmpty("nothing trains until the enumeration starts");
        trainer.EpochsCompleted.Should().Be(0);

        foreach (EpochMetrics epoch in epochs)
        {
            log.Add($"yield {epoch.Epoch}");
            trainer.EpochsCompleted.Should().Be(epoch.Epoch, "the epoch is complete when it is yielded");
            trainer.History[^1].Should().BeSameAs(epoch);
            epoch.Test.Should().NotBeNull();
        }

        log.Should().Equal(
            "progress 1:2", "progress 1:4", "event 1", "yield 1",
            "progress 2:2", "progress 2:4", "event 2", "yield 2");
        trainer.StopReason.Should().Be(TrainingStopReason.Finished);
    }

    [Test]
    public void Streaming_trains_the_same_bits_as_fit()
    {
        using var device = new SequentialDevice();
        Network fitted = SmallRun.CreateNetwork();
        using (var trainer = new Trainer(fitted, device, Small))
        {
            trainer.Fit(Train, Test, epochs: 2);
        }

        Network streamed = SmallRun.CreateNetwork();
        using (var trainer = new Trainer(streamed, device, Small))
        {
            trainer.FitEpochs(Train, Test, epochs: 2).Select(e => e.Epoch).Should().Equal(1, 2);
        }

        streamed.GetParameterDigest().Should().Be(fitted.GetParameterDigest());
    }

    [Test]
    public void Leaving_the_loop_early_stops_after_that_epoch_frees_the_device_and_a_later_call_continues_bit_for_bit()
    {
        using var device = new SequentialDevice();
        string uninterrupted = SmallRun.DigestAfter(device, 3);

        Network stopped = SmallRun.CreateNetwork();
        using var stopping = new Trainer(stopped, device, Small);
        foreach (EpochMetrics epoch in stopping.FitEpochs(Train, epochs: 5))
        {
            if (epoch.Epoch == 2)
            {
                break;
            }
        }

        stopping.StopReason.Should().Be(TrainingStopReason.StopRequested);
        stopping.EpochsCompleted.Should().Be(2);
        stopping.Fit(Train, epochs: 1).Should().ContainSingle("the device was freed when the loop ended");
        stopping.StopReason.Should().Be(TrainingStopReason.Finished);
        stopped.GetParameterDigest().Should().Be(uninterrupted);
    }

    [Test]
    public void Taking_exactly_the_epochs_asked_for_reports_finished()
    {
        using var device = new SequentialDevice();
        using var trainer = new Trainer(SmallRun.CreateNetwork(), device, Small);
        trainer.FitEpochs(Train, epochs: 2).Take(2).Should().HaveCount(2);
        trainer.StopReason.Should().Be(TrainingStopReason.Finished);
    }

    [Test]
    public void Arguments_are_checked_at_the_call_and_the_device_is_taken_only_while_enumerating()
    {
        using var device = new SequentialDevice();
        using var trainer = new Trainer(SmallRun.CreateNetwork(), device, Small);
        FluentActions.Invoking(() => trainer.FitEpochs(Train, epochs: 0)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("epochs");
        FluentActions.Invoking(() => trainer.FitEpochs(null!)).Should().Throw<ArgumentNullException>();

        IEnumerable<EpochMetrics> never = trainer.FitEpochs(Train, epochs: 1);
        trainer.Fit(Train, epochs: 1).Should().ContainSingle("a sequence not yet enumerated holds nothing");

        using IEnumerator<EpochMetrics> running = trainer.FitEpochs(Train, epochs: 2).GetEnumerator();
        running.MoveNext().Should().BeTrue();
        FluentActions.Invoking(() => trainer.Fit(Train, epochs: 1))
            .Should().Throw<InvalidOperationException>("the trainer is running while its enumeration is under way");
        running.Dispose();
        trainer.Fit(Train, epochs: 1).Should().ContainSingle();
        never.Should().ContainSingle("the sequence trains when it is enumerated");
    }

    [Test]
    public void Early_stopping_ends_the_enumeration_with_its_reason()
    {
        using var device = new SequentialDevice();
        using var trainer = new Trainer(
            SmallRun.CreateNetwork(), device, Small with { EarlyStopping = new EarlyStopping(1, minDelta: 100) });
        trainer.FitEpochs(Train, Test, epochs: 5).Should().HaveCount(2);
        trainer.StopReason.Should().Be(TrainingStopReason.EarlyStopping);
    }
}
