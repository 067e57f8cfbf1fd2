using CnnTrain.Layers;
using FluentAssertions;
using NUnit.Framework;

namespace CnnTrain.Tests.Layers;

public class LayerValidationTests
{
    [Test]
    public void Conv2D_RejectsBadSettingsByName()
    {
        FluentActions.Invoking(() => new Conv2D(0)).Should().Throw<ArgumentOutOfRangeException>().Where(e => e.ParamName == "filters");
        FluentActions.Invoking(() => new Conv2D(4, 0)).Should().Throw<ArgumentOutOfRangeException>().Where(e => e.ParamName == "kernelSize");
        FluentActions.Invoking(() => new Conv2D(4, 3, stride: 0)).Should().Throw<ArgumentOutOfRangeException>().Where(e => e.ParamName == "stride");
        FluentActions.Invoking(() => new Conv2D(4, 3, padding: 3)).Should().Throw<ArgumentOutOfRangeException>().Where(e => e.ParamName == "padding");
        FluentActions.Invoking(() => new Conv2D(4, 3, inputChannels: 0)).Should().Throw<ArgumentOutOfRangeException>().Where(e => e.ParamName == "inputChannels");
    }

    [Test]
    public void OtherLayers_RejectBadSettingsByName()
    {
        FluentActions.Invoking(() => new Dense(0)).Should().Throw<ArgumentOutOfRangeException>().Where(e => e.ParamName == "units");
        FluentActions.Invoking(() => new MaxPool2D(0)).Should().Throw<ArgumentOutOfRangeException>().Where(e => e.ParamName == "size");
        FluentActions.Invoking(() => new MaxPool2D(2, 0)).Should().Throw<ArgumentOutOfRangeException>().Where(e => e.ParamName == "stride");
    }

    [Test]
    public void Network_RejectsAKernelLargerThanItsInput()
    {
        var act = () => new Network(TensorShape.Image(1, 4, 4), new Conv2D(2, 5), new Flatten(), new Dense(2));
        act.Should().Throw<ArgumentException>().WithMessage("*Layer 0*kernel size 5*4x4*");
    }

    [Test]
    public void Network_RejectsShapesThatDoNotChain()
    {
        FluentActions.Invoking(() => new Network(TensorShape.Image(1, 8, 8), new Conv2D(2), new Dense(3)))
            .Should().Throw<ArgumentException>().WithMessage("*Layer 1*Dense needs a flat input*(2, 6, 6)*Flatten*");
        FluentActions.Invoking(() => new Network(TensorShape.Image(1, 8, 8), new Conv2D(2), new ReLU()))
            .Should().Throw<ArgumentException>().WithMessage("*output (2, 6, 6)*vector*");
        FluentActions.Invoking(() => new Network(TensorShape.Image(1, 3, 3), new MaxPool2D(4), new Flatten(), new Dense(2)))
            .Should().Throw<ArgumentException>().WithMessage("*window 4*3x3*");
        FluentActions.Invoking(() => new Network(TensorShape.Image(2, 8, 8), new Conv2D(2, inputChannels: 3), new Flatten(), new Dense(2)))
            .Should().Throw<ArgumentException>().WithMessage("*3 input channels*has 2*");
        FluentActions.Invoking(() => new Network(TensorShape.Vector(8), new Conv2D(2), new Flatten(), new Dense(2)))
            .Should().Throw<ArgumentException>().WithMessage("*image input*(8)*");
        FluentActions.Invoking(() => new Network(TensorShape.Vector(8), new Dense(1)))
            .Should().Throw<ArgumentException>().WithMessage("*at least 2 class scores*");
        FluentActions.Invoking(() => new Network(TensorShape.Image(1, 4, 4), new Flatten()))
            .Should().Throw<ArgumentException>().WithMessage("*at least one layer with parameters*");
    }

    [Test]
    public void Layer_BelongsToOneNetwork()
    {
        var dense = new Dense(3);
        _ = new Network(TensorShape.Vector(4), dense);
        FluentActions.Invoking(() => new Network(TensorShape.Vector(4), dense))
            .Should().Throw<ArgumentException>().WithMessage("*already belongs to a network*");
    }

    [Test]
    public void Network_InfersShapesAndNamesParameters()
    {
        Network network = Network.CreateStudy(32);
        network.Layers.Select(l => l.OutputShape.ToString()).Should().Equal("(32, 26, 26)", "(32, 26, 26)", "(32, 13, 13)", "(5408)", "(10)");
        network.Parameters.Select(p => p.Name).Should().Equal("conv2d_0.weights", "conv2d_0.bias", "dense_0.weights", "dense_0.bias");
        network.ParameterCount.Should().Be((32 * 9) + 32 + (5408 * 10) + 10);
    }

    [Test]
    public void Initialization_IsSeededAndSchemeDependent()
    {
        Network a = Network.CreateStudy(4, initialization: Initialization.Study, seed: 9);
        Network b = Network.CreateStudy(4, initialization: Initialization.Study, seed: 9);
        Network c = Network.CreateStudy(4, initialization: Initialization.He, seed: 9);
        a.GetParameterDigest().Should().Be(b.GetParameterDigest());
        a.GetParameterDigest().Should().NotBe(c.GetParameterDigest());
        a.Parameters[1].Values.Should().OnlyContain(v => v == 0f, "biases start at zero");
        double std = Math.Sqrt(a.Parameters[2].Values.Average(v => (double)v * v));
        std.Should().BeApproximately(0.1, 0.01, "the study draws N(0, 1) * 0.1");
        double he = Math.Sqrt(c.Parameters[2].Values.Average(v => (double)v * v));
        he.Should().BeApproximately(Math.Sqrt(2.0 / 676), 0.005, "He draws N(0, 2 / fan-in)");
    }
}
