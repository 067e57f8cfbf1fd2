using CnnTrain.Data;
using CnnTrain.Devices.Sequential;
using CnnTrain.Layers;
using CnnTrain.Persistence;
using CnnTrain.Tests.Persistence.Fuzzing;
using CnnTrain.Tests.Support;
using CnnTrain.Training;
using FluentAssertions;
using NUnit.Framework;

namespace CnnTrain.Tests.Layers;

/// <summary>Dropout's and batch normalisation's settings: their checks, their shapes, and their entries in model files.</summary>
public class BatchNormAndDropoutTests
{
    [TestCase(-0.1)]
    [TestCase(1.0)]
    [TestCase(1.5)]
    [TestCase(double.NaN)]
    [TestCase(double.NegativeInfinity)]
    public void Dropout_refuses_a_probability_outside_zero_to_one(double p)
    {
        var act = () => new Dropout(p);
        act.Should().Throw<ArgumentOutOfRangeException>().Where(e => e.ParamName == "probability")
            .WithMessage($"*[0, 1)*{p.ToString(System.Globalization.CultureInfo.InvariantCulture)}*");
    }

    [TestCase(0.0)]
    [TestCase(0.999)]
    public void Dropout_accepts_the_ends_of_its_range(double p) => new Dropout(p).Probability.Should().Be(p);

    [TestCase(-0.5, 1e-5, "momentum")]
    [TestCase(1.01, 1e-5, "momentum")]
    [TestCase(double.NaN, 1e-5, "momentum")]
    [TestCase(0.1, 0.0, "epsilon")]
    [TestCase(0.1, -1e-3, "epsilon")]
    [TestCase(0.1, double.PositiveInfinity, "epsilon")]
    [TestCase(0.1, 1e-50, "epsilon")]
    public void BatchNorm_refuses_bad_settings_by_name(double momentum, double epsilon, string name)
    {
        FluentActions.Invoking(() => new BatchNorm2D(4, momentum, epsilon)).Should().Throw<ArgumentOutOfRangeException>().Where(e => e.ParamName == name);
        FluentActions.Invoking(() => new BatchNorm1D(4, momentum, epsilon)).Should().Throw<ArgumentOutOfRangeException>().Where(e => e.ParamName == name);
    }

    [Test]
    public void BatchNorm_refuses_no_channels_and_inputs_of_another_shape()
    {
        FluentActions.Invoking(() => new BatchNorm2D(0)).Should().Throw<ArgumentOutOfRangeException>().Where(e => e.ParamName == "channels");
        var wrongChannels = () => new Network(TensorShape.Image(3, 4, 4), new BatchNorm2D(2), new Flatten(), new Dense(2));
        wrongChannels.Should().Throw<ArgumentException>().WithMessage("*BatchNorm2D(2*needs an input of 2 channels*(3, 4, 4)*");
        var image = () => new Network(TensorShape.Image(1, 4, 4), new BatchNorm1D(16), new Flatten(), new Dense(2));
        image.Should().Throw<ArgumentException>().WithMessage("*BatchNorm1D(16*needs a flat input of 16 features*");
    }

    [Test]
    public void BatchNorm_starts_as_the_identity_and_counts_gamma_and_beta_as_parameters()
    {
        var bn = new BatchNorm2D(3);
        var network = new Network(TensorShape.Image(3, 2, 2), bn, new Flatten(), new Dense(2));
        network.Initialize(1);
        bn.Gamma.Values.Should().Equal(1f, 1f, 1f);
        bn.Beta.Values.Should().Equal(0f, 0f, 0f);
        bn.RunningMean.Should().Equal(0f, 0f, 0f);
        bn.RunningVariance.Should().Equal(1f, 1f, 1f);
        bn.Gamma.Name.Should().Be("batchnorm2d_0.gamma");
        network.ParameterCount.Should().Be(6 + (12 * 2) + 2);
        bn.ToString().Should().Be("BatchNorm2D(3)");
        new BatchNorm1D(5, 0.25, 1e-3).ToString().Should().Be("BatchNorm1D(5, momentum 0.25, eps 0.001)");
        new Dropout(0.3).ToString().Should().Be("Dropout(0.3)");
    }

    [Test]
    public void A_model_file_keeps_the_settings_and_the_running_statistics()
    {
        Network original = Trained();
        using var stream = new MemoryStream();
        original.Save(stream);
        stream.Position = 0;
        Network loaded = Network.Load(stream);

        loaded.Layers.Select(l => l.ToString()).Should().Equal(original.Layers.Select(l => l.ToString()));
        loaded.GetParameterDigest().Should().Be(original.GetParameterDigest());
        BatchNormalization[] before = [.. original.Layers.OfType<BatchNormalization>()], after = [.. loaded.Layers.OfType<BatchNormalization>()];
        after.Should().HaveCount(2);
        for (int i = 0; i < before.Length; i++)
        {
            before[i].RunningMean.Should().NotEqual(new float[before[i].Channels], "training moved the statistics");
            Bits.AssertEqual(before[i].RunningMean, after[i].RunningMean, "running mean");
            Bits.AssertEqual(before[i].RunningVariance, after[i].RunningVariance, "running variance");
        }

        float[] samples = TestData.Uniform(3, 7 * 2 * 6 * 6);
        using var device = new SequentialDevice();
        Bits.AssertEqual(original.Forward(device, samples), loaded.Forward(device, samples), "logits of the loaded model");
    }

    [Test]
    public void Saving_refuses_running_statistics_that_are_not_finite()
    {
        Network network = Trained();
        network.Layers.OfType<BatchNormalization>().First().RunningVariance[1] = float.PositiveInfinity;
        FluentActions.Invoking(() => network.Save(new MemoryStream())).Should().Throw<InvalidOperationException>().WithMessage("*running variance*");
    }

    [TestCase(-7.5f, "*running variance 1 is -7.5*never negative*")]
    [TestCase(float.NaN, "*running variance 1 of 2 is NaN*finite*")]
    public void Loading_refuses_a_running_variance_the_library_never_writes(float value, string message)
    {
        Network network = Trained();
        BatchNormalization bn = network.Layers.OfType<BatchNormalization>().First();
        bn.RunningVariance[1] = 7.5f;
        using var stream = new MemoryStream();
        network.Save(stream);
        byte[] payload = Mutants.PayloadOf(stream.ToArray());
        byte[] marker = BitConverter.GetBytes(7.5f);
        int at = payload.AsSpan().IndexOf(marker);
        at.Should().BeGreaterThan(0);
        payload.AsSpan().Slice(at + 4).IndexOf(marker).Should().Be(-1, "the marker is unique");
        BitConverter.GetBytes(value).CopyTo(payload, at);
        var load = () => Network.Load(new MemoryStream(Mutants.Reseal(FileKind.Model, payload)));
        load.Should().Throw<ModelFormatException>().WithMessage(message);
    }

    private static Network Trained()
    {
        var shape = TensorShape.Image(2, 6, 6);
        var network = new Network(
            shape, new Conv2D(2, 3), new BatchNorm2D(2), new ReLU(), new Flatten(), new Dropout(0.25), new Dense(4), new BatchNorm1D(4, 0.3, 1e-3), new Dense(3));
        network.Initialize(6);
        using var device = new SequentialDevice();
        using var trainer = new Trainer(network, device, new TrainerOptions { BatchSize = 8 });
        trainer.Fit(new Dataset(shape, TestData.Uniform(7, 24 * shape.Size), TestData.Labels(8, 24, 3), 3));
        return network;
    }
}
