using CnnTrain.Devices;
using CnnTrain.Devices.Sequential;
using CnnTrain.Execution;
using NUnit.Framework;

namespace CnnTrain.Tests.Support;

/// <summary>
/// A network's analytic gradients (<see cref="Network.ComputeGradients"/> on the reference device) against central
/// finite differences of its loss, computed on the host in double from the forward logits. Each layer's tests call it.
/// A network whose training pass differs from its evaluation (dropout, batch normalisation) is checked on the
/// training pass's logits, which see the same fixed dropout masks as <see cref="Network.ComputeGradients"/>.
/// </summary>
public static class GradientCheck
{
    private const float Step = 1e-3f;

    public static void AssertMatchesFiniteDifferences(Network network, int batch = 3, bool training = false)
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
                    double plus = training ? TrainingLoss(network, device, x, labels) : HostLoss(network, device, x, labels);
                    p.Values[i] = saved - Step;
                    double minus = training ? TrainingLoss(network, device, x, labels) : HostLoss(network, device, x, labels);
                    p.Values[i] = saved;
                    double numeric = (plus - minus) / (2 * Step);
                    double tolerance = 2e-3 + (2e-2 * Math.Max(Math.Abs(numeric), Math.Abs(analytic[i])));
                    Assert.That(analytic[i], Is.EqualTo(numeric).Within(tolerance), $"{p.Name}[{i}]");
                }
            }
        });
    }

    /// <summary>The mean softmax cross-entropy of the network's logits, in double on the host.</summary>
    public static double HostLoss(Network network, SequentialDevice device, float[] x, int[] labels) => Loss(network.Forward(device, x), network.Classes, labels);

    /// <summary>The same loss from the logits of a training-mode forward pass (batch statistics, the fixed dropout masks).</summary>
    public static double TrainingLoss(Network network, SequentialDevice device, float[] x, int[] labels)
    {
        int batch = labels.Length;
        using var net = new DeviceNetwork(network, device, batch, training: true);
        using DeviceBuffer<float> input = device.Allocate<float>(x.Length);
        net.UploadParameters();
        device.Upload<float>(x, input);
        net.Forward(batch, input);
        var logits = new float[batch * network.Classes];
        device.Download(net.Logits(batch), logits);
        return Loss(logits, network.Classes, labels);
    }

    private static double Loss(float[] logits, int k, int[] labels)
    {
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
