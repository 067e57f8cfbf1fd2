using CnnTrain.Devices.Multicore;
using CnnTrain.Devices.Sequential;
using CnnTrain.Optimizers;
using CnnTrain.Tests.Support;
using CnnTrain.Training;
using FluentAssertions;
using NUnit.Framework;

namespace CnnTrain.Tests.Optimizers;

public class OptimizerTests
{
    [Test]
    public void Hyperparameters_AreCheckedByName()
    {
        FluentActions.Invoking(() => new Sgd(momentum: 1f)).Should().Throw<ArgumentOutOfRangeException>().Where(e => e.ParamName == "momentum");
        FluentActions.Invoking(() => new Sgd(momentum: -0.1f)).Should().Throw<ArgumentOutOfRangeException>().Where(e => e.ParamName == "momentum");
        FluentActions.Invoking(() => new Sgd(weightDecay: float.NaN)).Should().Throw<ArgumentOutOfRangeException>().Where(e => e.ParamName == "weightDecay");
        FluentActions.Invoking(() => new Sgd(momentum: 0f, nesterov: true)).Should().Throw<ArgumentException>().Where(e => e.ParamName == "nesterov");
        FluentActions.Invoking(() => new Adam(beta1: 1f)).Should().Throw<ArgumentOutOfRangeException>().Where(e => e.ParamName == "beta1");
        FluentActions.Invoking(() => new Adam(beta2: -1f)).Should().Throw<ArgumentOutOfRangeException>().Where(e => e.ParamName == "beta2");
        FluentActions.Invoking(() => new Adam(epsilon: float.PositiveInfinity)).Should().Throw<ArgumentOutOfRangeException>().Where(e => e.ParamName == "epsilon");
        FluentActions.Invoking(() => new AdamW(weightDecay: -0.01f)).Should().Throw<ArgumentOutOfRangeException>().Where(e => e.ParamName == "weightDecay");
    }

    [Test]
    public void Optimizers_ShowAndCompareTheirSettings()
    {
        new Sgd().ToString().Should().Be("SGD(momentum 0.9)");
        new Sgd(0.5f, 1e-4f, nesterov: true).ToString().Should().Be("SGD(momentum 0.5, weight decay 0.0001, Nesterov)");
        new Adam().ToString().Should().Be("Adam(betas 0.9, 0.999, epsilon 1E-08)");
        new AdamW().ToString().Should().Be("AdamW(betas 0.9, 0.999, epsilon 1E-08, weight decay 0.01)");
        new Adam(beta1: 0.8f).Should().Be(new Adam(beta1: 0.8f)).And.NotBe(new Adam());
        new AdamW().Should().NotBe(new Adam(weightDecay: 0.01f), "the decay is decoupled in one and an L2 term in the other");
    }

    [Test]
    public void Adam_BiasCorrectionsAreComputedOnTheHostOncePerStep()
    {
        var scalars = new float[4];
        new Adam(beta1: 0.5f, beta2: 0.75f).FillStepScalars([0.1f, 0.1f], firstStep: 0, scalars);
        scalars.Should().Equal(
            (float)(0.1f / 0.5), (float)(1 / Math.Sqrt(0.25)),
            (float)(0.1f / 0.75), (float)(1 / Math.Sqrt(1 - 0.5625)));

        var later = new float[3];
        new AdamW(beta1: 0.5f, beta2: 0.75f, weightDecay: 0.5f).FillStepScalars([0.1f], firstStep: 1, later);
        later.Should().Equal((float)(0.1f / 0.75), (float)(1 / Math.Sqrt(1 - 0.5625)), (float)(1 - (0.1f * 0.5)));
    }

    [Test]
    public void Adam_ScalarsOfAHugeStepCountAreTheUnderflowedOnesAndComeAtOnce()
    {
        // After 10^5 steps both 0.5^t and 0.75^t are 0 in double; 2^62 steps must give the same and not loop 2^62 times.
        var settled = new float[2];
        var huge = new float[2];
        var adam = new Adam(beta1: 0.5f, beta2: 0.75f);
        adam.FillStepScalars([0.1f], firstStep: 100_000, settled);
        adam.FillStepScalars([0.1f], firstStep: 1L << 62, huge);
        huge.Should().Equal(settled).And.Equal(0.1f, 1f);
    }

    [TestCase("adam")]
    [TestCase("adamw")]
    [TestCase("nesterov")]
    public void Resuming_continues_the_optimizer_state_and_step_count_bit_for_bit(string kind)
    {
        Optimizer optimizer = kind switch { "adam" => new Adam(), "adamw" => new AdamW(), _ => new Sgd(0.9f, nesterov: true) };
        var options = new TrainerOptions { BatchSize = 32, LearningRate = 0.002f, Optimizer = optimizer, Seed = 4 };
        var train = TestData.BundledTrain.Slice(0, 150);
        using var device = new MulticoreDevice(2);
        Network straight = Network.CreateStudy(4, initialization: Initialization.He, seed: 6);
        using (var trainer = new Trainer(straight, device, options))
        {
            trainer.Fit(train, epochs: 3);
            trainer.StepsCompleted.Should().Be(15);
        }

        Network first = Network.CreateStudy(4, initialization: Initialization.He, seed: 6);
        using var stream = new MemoryStream();
        using (var trainer = new Trainer(first, device, options))
        {
            trainer.Fit(train, epochs: 1);
            trainer.SaveCheckpoint(stream);
        }

        stream.Position = 0;
        using Trainer resumed = Trainer.Resume(stream, device, null);
        resumed.Options.Optimizer.Should().Be(optimizer);
        resumed.GetOptimizerState().Should().OnlyContain(p => p.Count == optimizer.StateTensorsForTests());
        resumed.Fit(train, epochs: 2);
        resumed.Network.GetParameterDigest().Should().Be(straight.GetParameterDigest());
    }

    [Test]
    public void Adam_trains_the_study_network()
    {
        using var device = new SequentialDevice();
        Network network = Network.CreateStudy(4, initialization: Initialization.He, seed: 1);
        using var trainer = new Trainer(network, device, new TrainerOptions { BatchSize = 32, LearningRate = 0.003f, Optimizer = new AdamW(), Seed = 2 });
        IReadOnlyList<EpochMetrics> epochs = trainer.Fit(TestData.BundledTrain.Slice(0, 640), epochs: 3);
        epochs[^1].MeanLoss.Should().BeLessThan(epochs[0].MeanLoss * 0.8);
    }
}

internal static class OptimizerTestExtensions
{
    public static int StateTensorsForTests(this Optimizer optimizer) => optimizer.StateTensors;
}
