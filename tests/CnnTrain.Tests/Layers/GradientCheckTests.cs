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
    private const float Step = 1e-3f;

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
    public void AnalyticGradientsMatchFiniteDifferences(Func<Network> create)
    {
        Network network = create();
        network.Initialize(17, Initialization.He);
        const int batch = 3;
        float[] x = TestData.Uniform(18, batch * network.InputShape.Size);
        int[] labels = TestData.Labels(19, batch, network.Classes);
        using var device = new SequentialDevice();
        network.ComputeGradients(device, x, labels);

        var random = new Random(20);
        Assert.Multiple(() =>
        {
            foreach (Parameter p in network.Parameters)
            {
                float[] analytic = (float[])p.Gradient.Clone();
                for (int probe = 0; probe < Math.Min(12, p.Count); probe++)
                {
                    int i = random.Next(p.Count);
                    float saved = p.Values[i];
                    p.Values[i] = saved + Step;
                    double plus = HostLoss(network, device, x, labels);
                    p.Values[i] = saved - Step;
                    double minus = HostLoss(network, device, x, labels);
                    p.Values[i] = saved;
                    double numeric = (plus - minus) / (2 * Step);
                    double tolerance = 2e-3 + (2e-2 * Math.Max(Math.Abs(numeric), Math.Abs(analytic[i])));
                    Assert.That(analytic[i], Is.EqualTo(numeric).Within(tolerance), $"{p.Name}[{i}]");
                }
            }
        });
    }

    [Test]
    public void ComputeGradients_ReturnsTheMeanLoss()
    {
        Network network = Network.CreateStudy(2, initialization: Initialization.He, seed: 3, inputShape: TensorShape.Image(1, 6, 6), classes: 3);
        float[] x = TestData.Uniform(4, 2 * 36);
        int[] labels = [0, 2];
        using var device = new SequentialDevice();
        float loss = network.ComputeGradients(device, x, labels);
        Assert.That(loss, Is.EqualTo(HostLoss(network, device, x, labels)).Within(1e-5));
    }

    private static double HostLoss(Network network, SequentialDevice device, float[] x, int[] labels)
    {
        float[] logits = network.Forward(device, x);
        int k = network.Classes;
        double total = 0;
        for (int n = 0; n < labels.Length; n++)
        {
            double max = double.NegativeInfinity;
            for (int c = 0; c < k; c++)
            {
                max = Math.Max(max, logits[(n * k) + c]);
            }

            double sum = 0;
            for (int c = 0; c < k; c++)
            {
                sum += Math.Exp(logits[(n * k) + c] - max);
            }

            total += Math.Log(sum) + max - logits[(n * k) + labels[n]];
        }

        return total / labels.Length;
    }
}
