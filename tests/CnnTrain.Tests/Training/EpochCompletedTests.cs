using CnnTrain.Data;
using CnnTrain.Devices.Sequential;
using CnnTrain.Tests.Support;
using CnnTrain.Training;
using FluentAssertions;
using NUnit.Framework;

namespace CnnTrain.Tests.Training;

public class EpochCompletedTests
{
    private static readonly TrainerOptions Small = SmallRun.Options;

    private static Dataset Train => SmallRun.Train;

    private static Dataset Test => SmallRun.Test;

    [Test]
    public void The_event_follows_each_epochs_progress_history_and_evaluation()
    {
        using var device = new SequentialDevice();
        Network network = SmallRun.CreateNetwork();
        using var trainer = new Trainer(network, device, Small);
        var log = new List<string>();
        trainer.EpochCompleted += (sender, e) =>
        {
            sender.Should().BeSameAs(trainer);
            trainer.History[^1].Should().BeSameAs(e.Metrics, "the epoch is in the history before handlers run");
            e.Metrics.Test.Should().NotBeNull("the evaluation is done before handlers run");
            trainer.EpochsCompleted.Should().Be(e.Metrics.Epoch);
            trainer.StopReason.Should().Be(TrainingStopReason.None, "the call has not ended yet");
            log.Add($"epoch {e.Metrics.Epoch}/{e.FinalEpoch}");
        };
        var progress = new InlineProgress<TrainingProgress>(p => log.Add($"progress {p.Epoch}:{p.Step}"));

        IReadOnlyList<EpochMetrics> metrics = trainer.Fit(Train, Test, epochs: 2, progress: progress);

        log.Should().Equal("progress 1:2", "progress 1:4", "epoch 1/2", "progress 2:2", "progress 2:4", "epoch 2/2");
        metrics.Should().HaveCount(2);
        trainer.StopReason.Should().Be(TrainingStopReason.Finished);
    }

    [Test]
    public void A_handler_can_stop_training_and_a_later_fit_continues_bit_for_bit()
    {
        using var device = new SequentialDevice();
        string uninterrupted = SmallRun.DigestAfter(device, 3);

        Network stopped = SmallRun.CreateNetwork();
        using var stopping = new Trainer(stopped, device, Small);
        var seen = new List<int>();
        stopping.EpochCompleted += (_, e) =>
        {
            seen.Add(e.Metrics.Epoch);
            e.Stop = e.Metrics.Epoch == 2;
        };

        stopping.Fit(Train, epochs: 5).Select(m => m.Epoch).Should().Equal(1, 2);
        stopping.StopReason.Should().Be(TrainingStopReason.StopRequested);
        stopping.EpochsCompleted.Should().Be(2);

        stopping.Fit(Train, epochs: 1);
        stopping.StopReason.Should().Be(TrainingStopReason.Finished);
        seen.Should().Equal(1, 2, 3);
        stopped.GetParameterDigest().Should().Be(uninterrupted);
    }

    [Test]
    public void A_stop_request_wins_over_early_stopping_and_an_exception_keeps_the_epoch()
    {
        using var device = new SequentialDevice();
        using var trainer = new Trainer(
            SmallRun.CreateNetwork(), device, Small with { EarlyStopping = new EarlyStopping(1, minDelta: 100) });
        trainer.EpochCompleted += (_, e) => e.Stop = e.Metrics.Epoch == 2;
        trainer.Fit(Train, Test, epochs: 5).Should().HaveCount(2);
        trainer.StopReason.Should().Be(TrainingStopReason.StopRequested);

        using var throwing = new Trainer(SmallRun.CreateNetwork(), device, Small);
        throwing.EpochCompleted += (_, _) => throw new InvalidOperationException("handler failed");
        FluentActions.Invoking(() => throwing.Fit(Train, epochs: 3)).Should().Throw<InvalidOperationException>().WithMessage("handler failed");
        throwing.EpochsCompleted.Should().Be(1);
        throwing.History.Should().HaveCount(1);
        throwing.StopReason.Should().Be(TrainingStopReason.None);
    }
}
