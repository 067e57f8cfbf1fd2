using CnnTrain.Devices.Sequential;
using CnnTrain.Layers;
using CnnTrain.Tests.Support;
using NUnit.Framework;

namespace CnnTrain.Tests.Layers;

/// <summary>
/// Each layer's backward pass against central finite differences of the loss, computed on the host in double
/// from the network's forward logits. Covers Conv2D (stride, padding), ReLU (fused and standalone),
/// MaxPool2D (fused, standalone, overlapping), Flatten, Dense (with and without ReLU) and the loss.
/// </summary>
public class GradientCheckTests
{
    public static IEnumerable<TestCaseData> Networks()
    {
        yield return new TestCaseData(new Func<Network>(() => new Network(
            TensorShape.Image(1, 8, 8), new Conv2D(3, 3), new ReLU(), new MaxPool2D(2), new Flatten(), new Dense(4)))).SetArgDisplayNames("study block");
        yield return new TestCaseData(new Func<Network>(() => new Network(
            TensorShape.Image(2, 12, 12), new Conv2D(3, 3, stride: 2, padding: 1), new ReLU(),
            new Conv2D(4, 3, padding: 1), new MaxPool2D(3, 2), new ReLU(), new MaxPool2D(2),
            new Flatten(), new Dense(6), new ReLU(), new Dense(3)))).SetArgDisplayNames("strides, padding, standalone relu and pool");
        yield return new TestCaseData(new Func<Network>(() => new Network(
            TensorShape.Image(1, 2, 3), new Flatten(), new Dense(5), new ReLU(), new Dense(3)))).SetArgDisplayNames("dense only");
    }

    [TestCaseSource(nameof(Networks))]
    public void AnalyticGradientsMatchFiniteDifferences(Func<Network> create) => GradientCheck.AssertMatchesFiniteDifferences(create());

    public static IEnumerable<TestCaseData> TrainingPassNetworks()
    {
        yield return new TestCaseData(new Func<Network>(() => new Network(
            TensorShape.Image(2, 6, 6), new Conv2D(3, 3, padding: 1), new BatchNorm2D(3), new AvgPool2D(2),
            new Flatten(), new Dense(4)))).SetArgDisplayNames("conv, batch norm 2D");
        yield return new TestCaseData(new Func<Network>(() => new Network(
            TensorShape.Image(1, 3, 4), new Flatten(), new Dense(6), new BatchNorm1D(6), new ReLU(), new Dense(3)))).SetArgDisplayNames("dense, batch norm 1D");
        yield return new TestCaseData(new Func<Network>(() => new Network(
            TensorShape.Image(1, 5, 5), new Conv2D(2, 3), new ReLU(), new Dropout(0.4), new Flatten(), new Dense(5), new Dropout(0.5),
            new Dense(3)))).SetArgDisplayNames("dropout after conv and dense");
        yield return new TestCaseData(new Func<Network>(() => new Network(
            TensorShape.Image(2, 4, 4), new BatchNorm2D(2), new Conv2D(2, 3), new BatchNorm2D(2, momentum: 0.3, epsilon: 1e-3), new Flatten(),
            new Dropout(0.2), new Dense(4), new BatchNorm1D(4), new Dense(3)))).SetArgDisplayNames("batch norm first, both kinds, dropout");
    }

    /// <summary>Batch normalisation (batch statistics, gamma and beta, and its input gradient through the layers before it) and dropout.</summary>
    [TestCaseSource(nameof(TrainingPassNetworks))]
    public void TrainingPassGradientsMatchFiniteDifferences(Func<Network> create) => GradientCheck.AssertMatchesFiniteDifferences(create(), batch: 5, training: true);

    [Test]
    public void ComputeGradients_ReturnsTheMeanLoss()
    {
        Network network = Network.CreateStudy(2, initialization: Initialization.He, seed: 3, inputShape: TensorShape.Image(1, 6, 6), classes: 3);
        float[] x = TestData.Uniform(4, 2 * 36);
        int[] labels = [0, 2];
        using var device = new SequentialDevice();
        float loss = network.ComputeGradients(device, x, labels);
        Assert.That(loss, Is.EqualTo(GradientCheck.HostLoss(network, device, x, labels)).Within(1e-5));
    }
}
