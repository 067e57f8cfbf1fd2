using CnnTrain.Devices.Sequential;
using NUnit.Framework;

namespace CnnTrain.Tests.Support;

/// <summary>
/// A network's analytic gradients (<see cref="Network.ComputeGradients"/> on the reference device) against central
/// finite differences of its loss, computed on the host in double from the forward logits. Each layer's tests call it.
/// </summary>
public static class GradientCheck
{
    private const float Step = 1e-3f;

    public static void AssertMatchesFiniteDifferences(Network network, int batch = 3)
    {
        network.Initialize(17, Initialization.He);
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

    /// <summary>The mean softmax cross-entropy of the network's logits, in double on the host.</summary>
    public static double HostLoss(Network network, SequentialDevice device, float[] x, int[] labels)
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
