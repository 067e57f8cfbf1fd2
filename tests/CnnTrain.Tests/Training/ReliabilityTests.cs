using CnnTrain.Data;
using CnnTrain.Devices;
using CnnTrain.Devices.Multicore;
using CnnTrain.Devices.Sequential;
using CnnTrain.Optimizers;
using CnnTrain.Tests.Support;
using CnnTrain.Training;
using FluentAssertions;
using NUnit.Framework;

namespace CnnTrain.Tests.Training;

/// <summary>Divergence, misuse and memory: what the trainer does when the numbers, the caller or the data go wrong.</summary>
public class ReliabilityTests
{
    private static readonly TrainerOptions Exploding = new() { BatchSize = 20, LearningRate = 1e30f, Seed = 1, ProgressReportsPerEpoch = 5 };

    private static Dataset Train => TestData.BundledTrain.Slice(0, 100);

    [Test]
    public void A_diverging_epoch_throws_naming_it_and_keeps_the_last_good_state()
    {
        using var device = new MulticoreDevice(2);
        Network network = Network.CreateStudy(4, initialization: Initialization.He, seed: 3);
        using var trainer = new Trainer(network, device, Exploding with { LearningRate = 0.01f });
        trainer.Fit(Train);
        string good = network.GetParameterDigest();
        using var exploding = new Trainer(network, device, Exploding);

        var act = () => exploding.Fit(Train);
        act.Should().Throw<TrainingDivergedException>().Where(e => e.Epoch == 1 && e.Step >= 1)
            .WithMessage("Training diverged in epoch 1 at step *kept the state of the last completed epoch*");
        network.GetParameterDigest().Should().Be(good, "the diverged epoch is abandoned");
        exploding.EpochsCompleted.Should().Be(0);
        exploding.GetOptimizerState().SelectMany(p => p).Should().OnlyContain(t => t.All(float.IsFinite));
    }

    [Test]
    public void A_sample_that_poisons_its_step_ends_training_unless_such_steps_are_skipped()
    {
        // Sample 31 holds an infinite pixel: the loss of step 2 (samples 21-40) is NaN.
        float[] pixels = Train.Samples.ToArray();
        pixels[(30 * 784) + 400] = float.PositiveInfinity;
        var poisoned = new Dataset(Train.SampleShape, pixels, Train.Labels.ToArray(), 10);
        var options = new TrainerOptions { BatchSize = 20, LearningRate = 0.05f, Seed = 1, Shuffle = false };
        using var strict = new Trainer(Network.CreateStudy(4, initialization: Initialization.He, seed: 3), new SequentialDevice(), options);
        FluentActions.Invoking(() => strict.Fit(poisoned)).Should().Throw<TrainingDivergedException>()
            .Where(e => e.Epoch == 1 && e.Step == 2).WithMessage("*its sample 31 is NaN*");

        EpochMetrics Run(IComputeDevice device, out string digest)
        {
            Network network = Network.CreateStudy(4, initialization: Initialization.He, seed: 3);
            using var trainer = new Trainer(network, device, options with { SkipNonFiniteSteps = true });
            EpochMetrics m = trainer.Fit(poisoned, epochs: 2)[^1];
            digest = network.GetParameterDigest();
            network.Parameters.SelectMany(p => p.Values).Should().OnlyContain(v => float.IsFinite(v));
            return m;
        }

        using var sequential = new SequentialDevice();
        using var multicore = new MulticoreDevice(3);
        EpochMetrics reference = Run(sequential, out string expected);
        reference.SkippedSteps.Should().Be(1);
        reference.StepLosses[1].Should().Be(float.NaN);
        double.IsFinite(reference.MeanLoss).Should().BeTrue("the mean covers the steps that ran");
        Run(multicore, out string actual).SkippedSteps.Should().Be(1);
        actual.Should().Be(expected);
    }

    [Test]
    public void On_a_cpu_device_divergence_ends_the_epoch_at_the_piece_it_happens_in()
    {
        // Sample 31 is in step 2, the second of five one-step pieces: the steps after it are never run.
        float[] pixels = Train.Samples.ToArray();
        pixels[(30 * 784) + 400] = float.PositiveInfinity;
        var poisoned = new Dataset(Train.SampleShape, pixels, Train.Labels.ToArray(), 10);
        var options = new TrainerOptions { BatchSize = 20, LearningRate = 0.05f, Seed = 1, Shuffle = false, ProgressReportsPerEpoch = 5 };
        using var trainer = new Trainer(Network.CreateStudy(4, seed: 3), new SequentialDevice(), options);
        var reported = new List<int>();
        FluentActions.Invoking(() => trainer.Fit(poisoned, null, 1, new InlineProgress<TrainingProgress>(p => reported.Add(p.Step))))
            .Should().Throw<TrainingDivergedException>().Where(e => e.Step == 2);
        reported.Should().Equal([1], "only the piece before the poisoned one finished");
    }

    [Test]
    public void A_huge_batch_size_takes_only_the_memory_the_data_needs()
    {
        using var device = new SequentialDevice();
        Network network = Network.CreateStudy(4, seed: 1);
        using var trainer = new Trainer(network, device, new TrainerOptions { BatchSize = int.MaxValue / 2 });
        device.AllocatedBytes.Should().Be(0);
        trainer.Fit(TestData.BundledTrain.Slice(0, 16)).Should().ContainSingle();
        device.AllocatedBytes.Should().BeLessThan(16L << 20, "a plan for 16 samples, not for a billion");
    }

    [Test]
    public void A_batch_too_large_for_a_device_buffer_fails_with_a_typed_error()
    {
        using var device = new SequentialDevice();
        // A 1x1 convolution to 4096 channels keeps 28x28 planes: 3.2 million values a sample, 2.2 billion for 700.
        var network = new Network(TensorShape.Image(1, 28, 28), new CnnTrain.Layers.Conv2D(4096, 1), new CnnTrain.Layers.Flatten(), new CnnTrain.Layers.Dense(2));
        using var trainer = new Trainer(network, device, new TrainerOptions { BatchSize = 65536 });
        var two = TestData.BundledTrain.Slice(0, 700);
        var act = () => trainer.Fit(new Dataset(two.SampleShape, two.Samples.ToArray(), [.. two.Labels.ToArray().Select(l => l % 2)], 2));
        act.Should().Throw<ArgumentOutOfRangeException>().Where(e => e.ParamName == "BatchSize").WithMessage("*lower the batch size*");
    }

    [Test]
    public void Progress_reports_are_bounded_and_any_number_of_them_ends()
    {
        FluentActions.Invoking(() => new TrainerOptions { ProgressReportsPerEpoch = int.MaxValue }.Validate())
            .Should().Throw<ArgumentOutOfRangeException>().Where(e => e.ParamName == "ProgressReportsPerEpoch");
        using var device = new SequentialDevice();
        using var trainer = new Trainer(Network.CreateStudy(2, seed: 1), device, new TrainerOptions { BatchSize = 10, ProgressReportsPerEpoch = TrainerOptions.MaxProgressReportsPerEpoch });
        trainer.Fit(TestData.BundledTrain.Slice(0, 40)).Should().ContainSingle();
    }

    [Test]
    public void New_slices_every_epoch_keep_the_device_memory_flat()
    {
        using var device = new SequentialDevice();
        using var trainer = new Trainer(Network.CreateStudy(2, seed: 1), device, new TrainerOptions { BatchSize = 50 });
        long? settled = null;
        for (int epoch = 0; epoch < 12; epoch++)
        {
            trainer.Fit(TestData.BundledTrain.Slice(epoch * 50, 100), TestData.BundledTest.Slice(epoch * 10, 30));
            if (epoch == 4)
            {
                settled = device.AllocatedBytes;
            }
        }

        device.AllocatedBytes.Should().Be(settled!.Value, "the trainer keeps the few datasets used last, not every one it saw");
    }

    [Test]
    public void Fit_on_a_trainer_that_is_already_fitting_throws_at_once()
    {
        using var device = new SequentialDevice();
        using var trainer = new Trainer(Network.CreateStudy(2, seed: 1), device, new TrainerOptions { BatchSize = 10, ProgressReportsPerEpoch = 2 });
        Exception? second = null;
        var progress = new InlineProgress<TrainingProgress>(_ =>
        {
            second ??= Record.Of(() => trainer.Fit(Train));
            second ??= new InvalidOperationException("no second call was made");
        });
        trainer.Fit(Train, progress: progress);
        second.Should().BeOfType<InvalidOperationException>().Which.Message.Should().Contain("already running");
    }

    [Test]
    public void A_second_trainer_on_a_busy_device_gets_a_clear_error_and_works_once_it_is_free()
    {
        using var device = new MulticoreDevice(2);
        using var first = new Trainer(Network.CreateStudy(2, seed: 1), device, new TrainerOptions { BatchSize = 10, ProgressReportsPerEpoch = 2 });
        using var second = new Trainer(Network.CreateStudy(2, seed: 1), device, new TrainerOptions { BatchSize = 10 });
        Exception? during = null;
        first.Fit(Train, progress: new InlineProgress<TrainingProgress>(_ => during ??= Record.Of(() => second.Fit(Train)) ?? new InvalidOperationException("none")));
        during.Should().BeOfType<InvalidOperationException>().Which.Message.Should().Contain("another trainer");

        second.Fit(Train);
        second.Network.GetParameterDigest().Should().Be(first.Network.GetParameterDigest(), "the same network, options and data on one device");
    }

    [Test]
    public void A_network_whose_parameters_are_not_finite_is_never_saved_over_a_good_file()
    {
        string path = Path.Combine(Path.GetTempPath(), $"cnntrain-{Guid.NewGuid():N}.model");
        try
        {
            Network network = Network.CreateStudy(2, seed: 1);
            network.Save(path);
            byte[] good = File.ReadAllBytes(path);
            network.Parameters[1].Values[1] = float.NaN;
            FluentActions.Invoking(() => network.Save(path)).Should().Throw<InvalidOperationException>().WithMessage("Cannot save: conv2d_0.bias value 1 of * is NaN*");
            File.ReadAllBytes(path).Should().Equal(good);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static class Record
    {
        public static Exception? Of(Action action)
        {
            try
            {
                action();
                return null;
            }
            catch (Exception e) when (e is InvalidOperationException or ArgumentException)
            {
                return e;
            }
        }
    }
}
