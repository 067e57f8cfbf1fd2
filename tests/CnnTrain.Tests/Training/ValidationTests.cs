using CnnTrain.Data;
using CnnTrain.Devices.Multicore;
using CnnTrain.Devices.Sequential;
using CnnTrain.Persistence;
using CnnTrain.Tests.Support;
using CnnTrain.Training;
using FluentAssertions;
using NUnit.Framework;

namespace CnnTrain.Tests.Training;

/// <summary>Validation sets: the seeded split, per-epoch validation metrics, and early stopping and best weights that watch them.</summary>
public class ValidationTests
{
    private static readonly TrainerOptions Small = new() { BatchSize = 50, LearningRate = 0.05f, Seed = 4 };

    private static Dataset Train => TestData.BundledTrain.Slice(0, 200);

    private static Dataset Test => TestData.BundledTest.Slice(0, 100);

    [Test]
    public void The_split_is_a_seeded_partition_that_keeps_the_original_order()
    {
        Dataset data = Train;
        (Dataset train, Dataset validation) = data.Split(0.25, seed: 7);
        (Dataset again, Dataset againValidation) = data.Split(0.25, seed: 7);
        (_, Dataset otherValidation) = data.Split(0.25, seed: 8);

        validation.Count.Should().Be(50);
        train.Count.Should().Be(150);
        again.Samples.ToArray().Should().Equal(train.Samples.ToArray(), "the same seed gives the same split");
        againValidation.Labels.ToArray().Should().Equal(validation.Labels.ToArray());
        otherValidation.Samples.ToArray().Should().NotEqual(validation.Samples.ToArray(), "another seed gives another split");

        // Every sample lands in exactly one part, in its original order.
        int[] trainIndices = IndicesIn(data, train), validationIndices = IndicesIn(data, validation);
        trainIndices.Concat(validationIndices).Order().Should().Equal(Enumerable.Range(0, 200));
        trainIndices.Should().BeInAscendingOrder();
        validationIndices.Should().BeInAscendingOrder();
    }

    [TestCase(0.0)]
    [TestCase(1.0)]
    [TestCase(double.NaN)]
    public void A_fraction_outside_the_open_unit_interval_is_refused(double fraction) =>
        FluentActions.Invoking(() => Train.Split(fraction, 1)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("validationFraction");

    [Test]
    public void A_split_that_leaves_nothing_to_train_on_is_refused() =>
        FluentActions.Invoking(() => Train.Slice(0, 1).Split(0.5, 1)).Should().Throw<ArgumentOutOfRangeException>().WithMessage("*leaves none to train on*");

    [Test]
    public void A_validation_fraction_holds_out_that_share_and_reports_its_metrics_every_epoch()
    {
        using var device = new SequentialDevice();
        using var trainer = new Trainer(Network.CreateStudy(4, seed: 2), device, Small with { ValidationFraction = 0.2 });

        IReadOnlyList<EpochMetrics> metrics = trainer.Fit(Train, Test, epochs: 2);

        metrics.Should().AllSatisfy(m =>
        {
            m.Samples.Should().Be(160, "the validation share is not trained on");
            m.Validation.Should().NotBeNull();
            m.Validation!.Count.Should().Be(40);
            m.Test!.Count.Should().Be(100);
        });
        (Dataset _, Dataset held) = Train.Split(0.2, Small.Seed);
        metrics[1].Validation!.Accuracy.Should().Be(trainer.Evaluate(held).Accuracy, "the held-out share is the trainer-seeded split");
    }

    [Test]
    public void A_given_validation_set_is_evaluated_and_a_fraction_with_it_is_refused()
    {
        using var device = new SequentialDevice();
        using var trainer = new Trainer(Network.CreateStudy(4, seed: 2), device, Small);
        Dataset validation = TestData.BundledTest.Slice(100, 30);

        EpochMetrics m = trainer.Fit(new TrainingSets(Train, validation), 1, null, default)[0];

        m.Validation!.Count.Should().Be(30);
        m.Test.Should().BeNull();
        using var split = new Trainer(Network.CreateStudy(4, seed: 2), device, Small with { ValidationFraction = 0.1 });
        FluentActions.Invoking(() => split.Fit(new TrainingSets(Train, validation), 1, null, default))
            .Should().Throw<ArgumentException>().WithMessage("*use one or the other*");
    }

    [Test]
    public void Early_stopping_on_a_validation_metric_needs_a_validation_set_and_not_a_test_set()
    {
        using var device = new SequentialDevice();
        var options = Small with { EarlyStopping = new EarlyStopping(1, metric: EarlyStoppingMetric.ValidationLoss) };
        using var trainer = new Trainer(Network.CreateStudy(4, seed: 2), device, options);

        FluentActions.Invoking(() => trainer.Fit(Train, Test, epochs: 1))
            .Should().Throw<ArgumentException>().Where(e => e.ParamName == "validation").WithMessage("*watches the validation set*");
        trainer.Fit(new TrainingSets(Train, Test.Slice(0, 50)), 1, null, default).Should().HaveCount(1, "no test set is needed");
    }

    [Test]
    public void Assess_reads_the_validation_metrics_and_not_the_test_metrics()
    {
        // The test loss keeps improving while the validation loss is best at epoch 2.
        EpochMetrics[] history = [Epoch(1, test: 0.9, validation: 0.6), Epoch(2, 0.8, 0.5), Epoch(3, 0.7, 0.55), Epoch(4, 0.6, 0.7)];

        new EarlyStopping(2, metric: EarlyStoppingMetric.ValidationLoss).Assess(history).Should().Be((2, 0.5, 2));
        new EarlyStopping(2, metric: EarlyStoppingMetric.ValidationAccuracy).Assess(history).Should().Be((2, 0.5, 2));
        new EarlyStopping(2).Assess(history).Should().Be((4, 0.6, 0));
        new EarlyStopping(2, metric: EarlyStoppingMetric.ValidationLoss) { RestoreBestWeights = true }.ToString()
            .Should().Be("early stopping on validation loss, patience 2, min delta 0, restoring the best weights");
    }

    [TestCase(true)]
    [TestCase(false)]
    public void Early_stopping_with_best_weights_puts_back_the_best_epochs_parameters(bool restore)
    {
        using var device = new SequentialDevice();
        // No later epoch improves by 100, so epoch 1 stays the best and the run stops after epoch 2.
        var rule = new EarlyStopping(1, minDelta: 100, EarlyStoppingMetric.ValidationLoss) { RestoreBestWeights = restore };
        using var trainer = new Trainer(Network.CreateStudy(4, seed: 2), device, Small with { ValidationFraction = 0.25, EarlyStopping = rule });
        var digests = new List<string>();
        trainer.EpochCompleted += (_, _) => digests.Add(trainer.Network.GetParameterDigest());

        trainer.Fit(Train, epochs: 5).Should().HaveCount(2);

        trainer.StopReason.Should().Be(TrainingStopReason.EarlyStopping);
        digests[0].Should().NotBe(digests[1]);
        trainer.Network.GetParameterDigest().Should().Be(restore ? digests[0] : digests[1]);
        (Dataset _, Dataset held) = Train.Split(0.25, Small.Seed);
        double validationLoss = trainer.Evaluate(held).MeanLoss;
        validationLoss.Should().Be(trainer.History[restore ? 0 : 1].Validation!.MeanLoss, "the device holds the parameters the host does");
    }

    [Test]
    public void Training_with_a_split_is_the_same_bits_on_both_CPU_devices_and_after_a_resume()
    {
        var options = Small with { ValidationFraction = 0.25, Augmentation = new Augmentation(2, horizontalFlip: true) };
        string digest;
        double validationLoss;
        using (var sequential = new SequentialDevice())
        using (var trainer = new Trainer(Network.CreateStudy(4, seed: 2), sequential, options))
        {
            validationLoss = trainer.Fit(Train, epochs: 2)[1].Validation!.MeanLoss;
            digest = trainer.Network.GetParameterDigest();
        }

        using var multicore = new MulticoreDevice(3);
        using var first = new Trainer(Network.CreateStudy(4, seed: 2), multicore, options);
        first.Fit(Train, epochs: 1);
        using var checkpoint = new MemoryStream();
        first.SaveCheckpoint(checkpoint);
        checkpoint.Position = 0;
        using Trainer resumed = Trainer.Resume(checkpoint, multicore, null);

        resumed.Options.Should().Be(options, "the split and the augmentation are saved");
        resumed.Fit(Train, epochs: 1)[0].Validation!.MeanLoss.Should().Be(validationLoss);
        resumed.Network.GetParameterDigest().Should().Be(digest);
        resumed.History[0].Validation.Should().NotBeNull("the history keeps the validation metrics");
    }

    [Test]
    public void A_version_2_checkpoint_still_resumes()
    {
        using var device = new SequentialDevice();
        using var trainer = new Trainer(Network.CreateStudy(4, seed: 2), device, Small with { EarlyStopping = new EarlyStopping(3) });
        trainer.Fit(Train, Test, epochs: 1);
        var writer = new PayloadWriter();
        var state = new TrainingState(
            trainer.Network, trainer.EpochsCompleted, trainer.StepsCompleted, trainer.Options,
            [.. trainer.GetOptimizerState().Select(p => p.ToArray())], trainer.History);
        CheckpointCodec.Write(writer, state, version: 2);
        byte[] file = Envelope.Seal(FileKind.Checkpoint, writer.ToArray(), version: 2);

        using Trainer resumed = Trainer.Resume(new MemoryStream(file), device, null);

        resumed.EpochsCompleted.Should().Be(1);
        resumed.Options.Should().Be(trainer.Options);
        resumed.History[0].Test!.MeanLoss.Should().Be(trainer.History[0].Test!.MeanLoss);
        resumed.History[0].Validation.Should().BeNull();
        resumed.Fit(Train, Test, epochs: 1);
        trainer.Fit(Train, Test, epochs: 1);
        resumed.Network.GetParameterDigest().Should().Be(trainer.Network.GetParameterDigest());
    }

    private static int[] IndicesIn(Dataset whole, Dataset part)
    {
        int size = whole.SampleShape.Size;
        float[] all = whole.Samples.ToArray();
        var found = new int[part.Count];
        for (int i = 0; i < part.Count; i++)
        {
            float[] sample = part.Samples.Slice(i * size, size).ToArray();
            int label = part.Labels.Span[i];
            found[i] = Enumerable.Range(0, whole.Count).First(n => all.AsSpan(n * size, size).SequenceEqual(sample) && whole.Labels.Span[n] == label);
        }

        return found;
    }

    private static EpochMetrics Epoch(int epoch, double test, double validation) => new(
        epoch, 1, 0.5, [1f], TimeSpan.FromSeconds(1), new EvaluationResult(test, 1 - test, [0], TimeSpan.Zero))
    {
        Validation = new EvaluationResult(validation, 1 - validation, [0], TimeSpan.Zero),
    };
}
