using CnnTrain.Data;
using CnnTrain.Devices.Multicore;
using CnnTrain.Devices.Sequential;
using CnnTrain.Tests.Support;
using CnnTrain.Training;
using FluentAssertions;
using NUnit.Framework;

namespace CnnTrain.Tests.Training;

public class TrainerTests
{
    private static readonly TrainerOptions Small = new() { BatchSize = 25, LearningRate = 0.05f, Seed = 4 };

    private static Dataset Train => TestData.BundledTrain.Slice(0, 200);

    private static Network SmallNetwork() => Network.CreateStudy(4, initialization: Initialization.He, seed: 2);

    [Test]
    public void Options_AreValidatedByName()
    {
        using var device = new SequentialDevice();
        foreach ((TrainerOptions options, string name) in new[]
        {
            (new TrainerOptions { BatchSize = 0 }, "BatchSize"),
            (new TrainerOptions { LearningRate = float.NaN }, "LearningRate"),
            (new TrainerOptions { LearningRate = -0.1f }, "LearningRate"),
            (new TrainerOptions { ProgressReportsPerEpoch = 0 }, "ProgressReportsPerEpoch"),
        })
        {
            FluentActions.Invoking(() => new Trainer(SmallNetwork(), device, options))
                .Should().Throw<ArgumentOutOfRangeException>().Where(e => e.ParamName == name);
        }

        FluentActions.Invoking(() => new Trainer(SmallNetwork(), device, new TrainerOptions { Optimizer = null! }))
            .Should().Throw<ArgumentNullException>().Where(e => e.ParamName == "Optimizer");
    }

    [Test]
    public void Fit_RejectsDataThatDoesNotFit()
    {
        using var device = new SequentialDevice();
        using var trainer = new Trainer(SmallNetwork(), device, Small);
        var wrongShape = new Dataset(TensorShape.Image(1, 5, 5), new float[25], [0], 10);
        FluentActions.Invoking(() => trainer.Fit(wrongShape)).Should().Throw<ArgumentException>().WithMessage("*(1, 5, 5)*(1, 28, 28)*");
        FluentActions.Invoking(() => trainer.Fit(Train, epochs: 0)).Should().Throw<ArgumentOutOfRangeException>().Where(e => e.ParamName == "epochs");
    }

    [Test]
    public void Fit_ReportsProgressPerPieceAndMetricsPerEpoch()
    {
        using var device = new SequentialDevice();
        using var trainer = new Trainer(SmallNetwork(), device, Small with { ProgressReportsPerEpoch = 3 });
        var reports = new List<TrainingProgress>();
        IReadOnlyList<EpochMetrics> metrics = trainer.Fit(Train, TestData.BundledTest.Slice(0, 50), 2, new SynchronousProgress<TrainingProgress>(reports.Add));
        reports.Select(r => (r.Epoch, r.Step)).Should().Equal((1, 3), (1, 6), (1, 8), (2, 3), (2, 6), (2, 8));
        reports.Should().OnlyContain(r => r.StepsPerEpoch == 8 && r.FinalEpoch == 2);
        metrics.Select(m => m.Epoch).Should().Equal(1, 2);
        metrics.Should().OnlyContain(m => m.StepLosses.Count == 8 && m.Samples == 200 && m.Test != null && m.Test.Count == 50);
        metrics[1].MeanLoss.Should().BeLessThan(metrics[0].MeanLoss);
        trainer.EpochsCompleted.Should().Be(2);
        trainer.History.Should().Equal(metrics);
    }

    [Test]
    public void TrainingInTwoCallsEqualsOneCall()
    {
        using var device = new MulticoreDevice(2);
        Network once = SmallNetwork();
        using (var trainer = new Trainer(once, device, Small))
        {
            trainer.Fit(Train, epochs: 3);
        }

        Network twice = SmallNetwork();
        using (var trainer = new Trainer(twice, device, Small))
        {
            trainer.Fit(Train, epochs: 1);
            trainer.Fit(Train, epochs: 2);
        }

        twice.GetParameterDigest().Should().Be(once.GetParameterDigest());
    }

    [Test]
    public void Cancelling_KeepsTheLastCompletedEpochAndResumesBitForBit()
    {
        using var device = new SequentialDevice();
        Network uninterrupted = SmallNetwork();
        using (var trainer = new Trainer(uninterrupted, device, Small))
        {
            trainer.Fit(Train, epochs: 2);
        }

        Network interrupted = SmallNetwork();
        using var cancel = new CancellationTokenSource();
        using var resumed = new Trainer(interrupted, device, Small);
        resumed.Fit(Train, epochs: 1);
        string afterFirst = interrupted.GetParameterDigest();
        var progress = new SynchronousProgress<TrainingProgress>(p =>
        {
            if (p.Epoch == 2)
            {
                cancel.Cancel();
            }
        });
        FluentActions.Invoking(() => resumed.Fit(Train, epochs: 1, progress: progress, cancellationToken: cancel.Token))
            .Should().Throw<OperationCanceledException>();
        interrupted.GetParameterDigest().Should().Be(afterFirst, "a cancelled epoch leaves the network as the last completed epoch left it");
        resumed.EpochsCompleted.Should().Be(1);

        resumed.Fit(Train, epochs: 1);
        interrupted.GetParameterDigest().Should().Be(uninterrupted.GetParameterDigest());
    }

    [Test]
    public void Shuffle_VisitsEverySampleOnceInASeededOrder()
    {
        int[] a = new int[100], b = new int[100], c = new int[100], plain = new int[100];
        Shuffler.Fill(a, seed: 1, epoch: 0, shuffle: true);
        Shuffler.Fill(b, seed: 1, epoch: 0, shuffle: true);
        Shuffler.Fill(c, seed: 1, epoch: 1, shuffle: true);
        Shuffler.Fill(plain, seed: 1, epoch: 0, shuffle: false);
        a.Should().Equal(b).And.BeEquivalentTo(Enumerable.Range(0, 100));
        c.Should().NotEqual(a).And.BeEquivalentTo(Enumerable.Range(0, 100));
        plain.Should().Equal(Enumerable.Range(0, 100));
    }

    [Test]
    public void PredictAgreesWithEvaluate()
    {
        using var device = new MulticoreDevice(2);
        Network network = SmallNetwork();
        using var trainer = new Trainer(network, device, Small);
        trainer.Fit(Train, epochs: 1);
        Dataset test = TestData.BundledTest.Slice(0, 77);
        EvaluationResult evaluation = trainer.Evaluate(test);
        network.Predict(device, test.Samples.Span, batchSize: 10).Should().Equal(evaluation.Predictions);
        evaluation.Accuracy.Should().Be(evaluation.Predictions.Where((p, i) => p == test.Labels.Span[i]).Count() / 77.0);
    }

    [Test]
    public void StudyNetworkReaches95PercentOnTheBundledSet()
    {
        using var device = new MulticoreDevice();
        Network network = Network.CreateStudy(32, initialization: Initialization.He, seed: 1);
        using var trainer = new Trainer(network, device, new TrainerOptions { LearningRate = 0.05f, Seed = 1 });
        IReadOnlyList<EpochMetrics> metrics = trainer.Fit(TestData.BundledTrain, TestData.BundledTest, epochs: 3);
        TestContext.Out.WriteLine(string.Join(Environment.NewLine, metrics.Select(m => $"epoch {m.Epoch}: test {m.Test!.Accuracy:P2}, {m.TrainTime.TotalSeconds:F2} s")));
        metrics[^1].Test!.Accuracy.Should().BeGreaterThanOrEqualTo(0.95);
    }

    /// <summary>Reports on the calling thread, unlike <see cref="Progress{T}"/>, so tests see every report before Fit returns.</summary>
    private sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
