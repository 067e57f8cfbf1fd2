using CnnTrain.Devices.Multicore;
using CnnTrain.Layers;
using CnnTrain.Tests.Support;
using FluentAssertions;
using NUnit.Framework;

namespace CnnTrain.Tests.Layers;

public class AvgPool2DTests
{
    [Test]
    public void Settings_AreCheckedByName()
    {
        FluentActions.Invoking(() => new AvgPool2D(0)).Should().Throw<ArgumentOutOfRangeException>().Where(e => e.ParamName == "size");
        FluentActions.Invoking(() => new AvgPool2D(2, 0)).Should().Throw<ArgumentOutOfRangeException>().Where(e => e.ParamName == "stride");
        FluentActions.Invoking(() => new Network(TensorShape.Image(1, 4, 4), new AvgPool2D(5), new Flatten(), new Dense(2)))
            .Should().Throw<ArgumentException>().WithMessage("*window 5 is larger than its input 4x4*");
        FluentActions.Invoking(() => new Network(TensorShape.Vector(8), new AvgPool2D(2), new Dense(2)))
            .Should().Throw<ArgumentException>().WithMessage("*needs an image input*");
    }

    [Test]
    public void Shapes_FollowTheWindows()
    {
        var network = new Network(
            TensorShape.Image(3, 9, 12), new AvgPool2D(2), new AvgPool2D(3, 1), AvgPool2D.Global(), new Flatten(), new Dense(2));
        network.Layers.Take(3).Select(l => l.OutputShape).Should().Equal(
            TensorShape.Image(3, 4, 6), TensorShape.Image(3, 2, 4), TensorShape.Image(3, 1, 1));
        network.Layers.Take(3).Select(l => l.ToString()).Should().Equal("AvgPool2D(2x2)", "AvgPool2D(3x3, stride 1)", "AvgPool2D(global)");
    }

    [Test]
    public void Gradients_MatchFiniteDifferences() => GradientCheck.AssertMatchesFiniteDifferences(new Network(
        TensorShape.Image(2, 9, 9), new Conv2D(3, 3), new ReLU(), new AvgPool2D(3, 2), new Conv2D(4, 2), AvgPool2D.Global(),
        new Flatten(), new Dense(3)));

    [Test]
    public void A_saved_model_with_average_pools_predicts_the_same()
    {
        var network = new Network(TensorShape.Image(1, 8, 8), new Conv2D(2, 3), new AvgPool2D(2, 1), AvgPool2D.Global(), new Flatten(), new Dense(3));
        network.Initialize(3);
        string path = Path.Combine(Path.GetTempPath(), $"cnntrain-avgpool-{Guid.NewGuid():N}.model");
        try
        {
            network.Save(path);
            Network loaded = Network.Load(path);
            loaded.Layers.Select(l => l.ToString()).Should().Equal(network.Layers.Select(l => l.ToString()));
            float[] x = TestData.Uniform(5, 4 * 64);
            using var device = new MulticoreDevice(2);
            loaded.Forward(device, x).Should().Equal(network.Forward(device, x));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
