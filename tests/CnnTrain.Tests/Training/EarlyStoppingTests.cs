using CnnTrain.Data;
using CnnTrain.Devices.Sequential;
using CnnTrain.Tests.Support;
using CnnTrain.Training;
using FluentAssertions;
using NUnit.Framework;

namespace CnnTrain.Tests.Training;

public class EarlyStoppingTests
{
    private static readonly TrainerOptions Small = new() { BatchSize = 50, LearningRate = 0.05f, Seed = 4 };

    // Rate 0 from the second epoch on freezes the network, so its test metrics repeat exactly: a metric we control.
    private static readonly LearningRateSchedule FrozenAfterFirst = new FixedSchedule(e => e == 0 ? 0.05 : 0);

    private static Dataset Train => TestData.BundledTrain.Slice(0, 200);

    private static Dataset Test => TestData.BundledTest.Slice(0, 100);

    [TestCase(EarlyStoppingMetric.TestLoss)]
    [TestCase(EarlyStoppingMetric.TestAccuracy)]
    public void A_metric_that_stops_improving_ends_fit_after_patience_epochs(EarlyStoppingMetric metric)
    {
        using var device = new SequentialDevice();
        using var trainer = new Trainer(
            Network.CreateStudy(4, seed: 2), device, Small with { Schedule = FrozenAfterFirst, EarlyStopping = new EarlyStopping(2, metric: metric) });

        IReadOnlyList<EpochMetrics> metrics = trainer.Fit(Train, Test, epochs: 10);

        // Epoch 1 is the best; epochs 2 and 3 repeat it, which is no improvement.
        metrics.Select(m => m.Epoch).Should().Equal(1, 2, 3);
        metrics[2].Test!.MeanLoss.Should().Be(metrics[0].Test!.MeanLoss);
        trainer.StopReason.Should().Be(TrainingStopReason.EarlyStopping);
        trainer.EpochsCompleted.Should().Be(3);
        trainer.Options.EarlyStopping!.Assess(trainer.History).Should().Be((1, metric == EarlyStoppingMetric.TestLoss ? metrics[0].Test!.MeanLoss : metrics[0].Test!.Accuracy, 2));
    }

    [Test]
    public void Improvements_smaller_than_min_delta_do_not_count()
    {
        using var device = new SequentialDevice();
        using var trainer = new Trainer(Network.CreateStudy(4, seed: 2), device, Small with { EarlyStopping = new EarlyStopping(1, minDelta: 100) });

        IReadOnlyList<EpochMetrics> metrics = trainer.Fit(Train, Test, epochs: 5);

        metrics.Should().HaveCount(2);
        metrics[1].Test!.MeanLoss.Should().BeLessThan(metrics[0].Test!.MeanLoss, "the loss did improve, by less than 100");
        trainer.StopReason.Should().Be(TrainingStopReason.EarlyStopping);
    }

    [Test]
    public void A_run_that_keeps_improving_finishes_and_one_epoch_per_call_stops_like_one_long_call()
    {
        using var device = new SequentialDevice();
        using (var improving = new Trainer(Network.CreateStudy(4, seed: 2), device, Small with { EarlyStopping = new EarlyStopping(1) }))
        {
            improving.Fit(Train, Test, epochs: 2).Should().HaveCount(2);
            improving.StopReason.Should().Be(TrainingStopReason.Finished);
        }

        using var trainer = new Trainer(
            Network.CreateStudy(4, seed: 2), device, Small with { Schedule = FrozenAfterFirst, EarlyStopping = new EarlyStopping(2) });
        var reasons = new List<TrainingStopReason>();
        for (int i = 0; i < 5 && trainer.StopReason != TrainingStopReason.EarlyStopping; i++)
        {
            trainer.Fit(Train, Test, epochs: 1);
            reasons.Add(trainer.StopReason);
        }

        reasons.Should().Equal(TrainingStopReason.Finished, TrainingStopReason.Finished, TrainingStopReason.EarlyStopping);
    }

    [Test]
    public void Early_stopping_needs_a_test_set()
    {
        using var device = new SequentialDevice();
        using var trainer = new Trainer(Network.CreateStudy(4, seed: 2), device, Small with { EarlyStopping = new EarlyStopping(1) });
        FluentActions.Invoking(() => trainer.Fit(Train, epochs: 1))
            .Should().Throw<ArgumentException>().Where(e => e.ParamName == "test").WithMessage("EarlyStopping watches the test set's metrics*");
        trainer.EpochsCompleted.Should().Be(0);
    }

    [Test]
    public void Assess_skips_epochs_without_a_test_and_treats_nan_as_no_improvement()
    {
        EpochMetrics[] history = [Epoch(1, 0.5, 0.8), Epoch(2, null, null), Epoch(3, 0.4, 0.8), Epoch(4, double.NaN, 0.9), Epoch(5, 0.45, 0.85)];

        new EarlyStopping(3).Assess(history).Should().Be((3, 0.4, 2));
        new EarlyStopping(2).ShouldStop(history).Should().BeTrue();
        new EarlyStopping(3).ShouldStop(history).Should().BeFalse();
        new EarlyStopping(1, metric: EarlyStoppingMetric.TestAccuracy).Assess(history).Should().Be((4, 0.9, 1));
        new EarlyStopping(1, minDelta: 0.15).Assess(history).Should().Be((1, 0.5, 3));
        new EarlyStopping(1).Assess([]).Should().Be((0, double.PositiveInfinity, 0));
    }

    [Test]
    public void Arguments_are_validated_by_name()
    {
        FluentActions.Invoking(() => new EarlyStopping(0)).Should().Throw<ArgumentOutOfRangeException>().Where(e => e.ParamName == "patience");
        FluentActions.Invoking(() => new EarlyStopping(1, -0.1)).Should().Throw<ArgumentOutOfRangeException>().Where(e => e.ParamName == "minDelta");
        FluentActions.Invoking(() => new EarlyStopping(1, double.NaN)).Should().Throw<ArgumentOutOfRangeException>().Where(e => e.ParamName == "minDelta");
        FluentActions.Invoking(() => new EarlyStopping(1, 0, (EarlyStoppingMetric)7)).Should().Throw<ArgumentOutOfRangeException>().Where(e => e.ParamName == "metric");
        new EarlyStopping(3, 0.01).ToString().Should().Be("early stopping on test loss, patience 3, min delta 0.01");
    }

    private static EpochMetrics Epoch(int epoch, double? loss, double? accuracy) => new(
        epoch, 1, 0.5, [1f], TimeSpan.FromSeconds(1),
        loss is double l ? new EvaluationResult(l, accuracy!.Value, [0], TimeSpan.Zero) : null);
}
