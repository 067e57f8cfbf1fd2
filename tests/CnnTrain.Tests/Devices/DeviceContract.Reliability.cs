using CnnTrain.Data;
using CnnTrain.Devices;
using CnnTrain.Devices.Sequential;
using CnnTrain.Optimizers;
using CnnTrain.Tests.Support;
using CnnTrain.Training;
using FluentAssertions;
using NUnit.Framework;

namespace CnnTrain.Tests.Devices;

/// <summary>Divergence on every device: the same step is found, and the same steps are skipped with the same bits.</summary>
public abstract partial class DeviceContract
{
    [TestCase("sgd")]
    [TestCase("adamw")]
    public void Skipped_steps_are_the_same_on_every_device(string optimizer)
    {
        // Samples 31 and 77 hold an infinite pixel: steps 2 and 4 of each epoch get a NaN loss.
        Dataset train = TestData.BundledTrain.Slice(0, 100);
        float[] pixels = train.Samples.ToArray();
        pixels[(30 * 784) + 400] = float.PositiveInfinity;
        pixels[(76 * 784) + 10] = float.NegativeInfinity;
        var poisoned = new Dataset(train.SampleShape, pixels, train.Labels.ToArray(), 10);
        var options = new TrainerOptions
        {
            BatchSize = 20, LearningRate = 0.01f, Seed = 2, Shuffle = false, SkipNonFiniteSteps = true,
            Optimizer = optimizer == "sgd" ? new Sgd(0.9f) : new AdamW(),
        };
        (string Digest, int Skipped) Run(IComputeDevice device)
        {
            Network network = Network.CreateStudy(4, initialization: Initialization.He, seed: 5);
            using var trainer = new Trainer(network, device, options);
            IReadOnlyList<EpochMetrics> epochs = trainer.Fit(poisoned, epochs: 2);
            return (network.GetParameterDigest(), epochs.Sum(e => e.SkippedSteps));
        }

        using var reference = new SequentialDevice();
        (string digest, int skipped) = Run(reference);
        skipped.Should().Be(4);
        Run(Device).Should().Be((digest, skipped));
    }

    [Test]
    public void Divergence_is_found_at_the_same_step_on_every_device()
    {
        Dataset train = TestData.BundledTrain.Slice(0, 100);
        float[] pixels = train.Samples.ToArray();
        pixels[(55 * 784) + 300] = float.PositiveInfinity; // its logits, and so the loss of step 3, are not finite
        var poisoned = new Dataset(train.SampleShape, pixels, train.Labels.ToArray(), 10);
        Network network = Network.CreateStudy(4, initialization: Initialization.He, seed: 5);
        string before = network.GetParameterDigest();
        using var trainer = new Trainer(network, Device, new TrainerOptions { BatchSize = 20, Shuffle = false, ProgressReportsPerEpoch = 5 });
        FluentActions.Invoking(() => trainer.Fit(poisoned)).Should().Throw<TrainingDivergedException>().Where(e => e.Step == 3);
        network.GetParameterDigest().Should().Be(before);
    }
}
