using CnnTrain.Data;
using CnnTrain.Devices;
using CnnTrain.Devices.Multicore;
using CnnTrain.Devices.Sequential;
using CnnTrain.Optimizers;
using CnnTrain.Tests.Cuda;
using CnnTrain.Tests.Devices;
using CnnTrain.Tests.Support;
using CnnTrain.Training;
using FluentAssertions;
using NUnit.Framework;

namespace CnnTrain.Tests.Training;

/// <summary>Schedules and weight decay through whole training runs: golden-free, by comparing devices and settings.</summary>
public class ScheduleAndWeightDecayTrainingTests
{
    private static readonly TrainerOptions Small = new() { BatchSize = 25, LearningRate = 0.05f, Seed = 4 };

    private static Dataset Train => TestData.BundledTrain.Slice(0, 200);

    [Test]
    public void Weight_decay_is_bit_identical_on_sequential_and_multicore_and_changes_the_result()
    {
        TrainerOptions decayed = Small with { Optimizer = new Sgd(weightDecay: 0.01f) };
        (string sequential, IReadOnlyList<float> sequentialLosses) = Run(new SequentialDevice(), decayed, 2);
        (string multicore, IReadOnlyList<float> multicoreLosses) = Run(new MulticoreDevice(3), decayed, 2);
        (string plain, _) = Run(new SequentialDevice(), Small, 2);

        multicore.Should().Be(sequential);
        Bits(multicoreLosses).Should().Equal(Bits(sequentialLosses));
        plain.Should().NotBe(sequential, "weight decay must reach the update");
    }

    [TestCaseSource(nameof(Schedules))]
    public void A_schedule_with_weight_decay_is_bit_identical_on_sequential_and_multicore(LearningRateSchedule schedule)
    {
        TrainerOptions options = Small with { Schedule = schedule, Optimizer = new Sgd(weightDecay: 0.005f) };
        (string sequential, IReadOnlyList<float> sequentialLosses) = Run(new SequentialDevice(), options, 3);
        (string multicore, IReadOnlyList<float> multicoreLosses) = Run(new MulticoreDevice(3), options, 3);
        (string constant, _) = Run(new SequentialDevice(), Small with { Optimizer = new Sgd(weightDecay: 0.005f) }, 3);

        multicore.Should().Be(sequential);
        Bits(multicoreLosses).Should().Equal(Bits(sequentialLosses));
        constant.Should().NotBe(sequential, $"{schedule} changes the rate within three epochs");
    }

    [Test]
    [RequiresCuda]
    public void A_schedule_with_weight_decay_is_bit_identical_on_cuda()
    {
        // The rates are uploaded per epoch, so the GPU needs nothing new; this checks it on a machine with one.
        TrainerOptions options = Small with { Schedule = LearningRateSchedule.CosineOverSteps(20, 0.001), Optimizer = new Sgd(weightDecay: 0.005f) };
        (string cuda, IReadOnlyList<float> cudaLosses) = Run(CudaAvailability.Open(), options, 3);
        (string sequential, IReadOnlyList<float> sequentialLosses) = Run(new SequentialDevice(), options, 3);

        cuda.Should().Be(sequential);
        Bits(cudaLosses).Should().Equal(Bits(sequentialLosses));
    }

    [Test]
    public void The_trainer_asks_the_schedule_for_every_step_of_every_epoch_over_its_life()
    {
        var schedule = new FixedSchedule(_ => 0.05);
        using var device = new SequentialDevice();
        using var trainer = new Trainer(Network.CreateStudy(4, seed: 2), device, Small with { Schedule = schedule });
        trainer.Fit(Train, epochs: 1);
        trainer.Fit(Train, epochs: 1);

        schedule.Calls.Should().Equal(
            Enumerable.Range(0, 2).SelectMany(e => Enumerable.Range(0, 8).Select(s => (e, s, 8))));
    }

    [Test]
    public void A_rate_of_zero_leaves_the_parameters_as_they_were()
    {
        // Epoch 0 trains at the base rate; from epoch 1 on the schedule gives 0, so the update w = fma(-0, v, w) keeps w.
        Network network = Network.CreateStudy(4, seed: 2);
        using var device = new MulticoreDevice(2);
        using var trainer = new Trainer(network, device, Small with { Schedule = new FixedSchedule(e => e == 0 ? 0.05 : 0) });
        string initial = network.GetParameterDigest();
        trainer.Fit(Train, epochs: 1);
        string afterFirst = network.GetParameterDigest();
        trainer.Fit(Train, epochs: 2);

        afterFirst.Should().NotBe(initial);
        network.GetParameterDigest().Should().Be(afterFirst);
    }

    private static IEnumerable<LearningRateSchedule> Schedules() =>
    [
        LearningRateSchedule.Step(1, 0.5),
        LearningRateSchedule.Cosine(3, 0.001),
        LearningRateSchedule.CosineOverSteps(20),
    ];

    private static (string Digest, IReadOnlyList<float> StepLosses) Run(IComputeDevice device, TrainerOptions options, int epochs)
    {
        using (device)
        {
            Network network = Network.CreateStudy(4, initialization: Initialization.He, seed: 2);
            using var trainer = new Trainer(network, device, options);
            IReadOnlyList<EpochMetrics> metrics = trainer.Fit(Train, epochs: epochs);
            return (network.GetParameterDigest(), [.. metrics.SelectMany(m => m.StepLosses)]);
        }
    }

    private static IEnumerable<int> Bits(IEnumerable<float> values) => values.Select(BitConverter.SingleToInt32Bits);
}
