using CnnTrain.Devices.Sequential;
using CnnTrain.Layers;
using FluentAssertions;
using NUnit.Framework;

namespace CnnTrain.Tests.Onnx;

/// <summary>Exported models run in ONNX Runtime give what the network gives: logits and probabilities to 1e-5, the same classes.</summary>
public class OnnxRoundTripTests
{
    private static readonly string[] Networks = ["study", "lenet5", "trained-bn-dropout", "strided-padded-global", "flat-input-bn1d"];

    [TestCaseSource(nameof(Networks))]
    public void ONNX_Runtime_computes_the_networks_logits_probabilities_and_classes(string name)
    {
        using Network network = OnnxNetworks.Create(name);
        float[] samples = OnnxNetworks.Samples(network);
        using var stream = new MemoryStream();
        network.ExportOnnx(stream);

        (float[] logits, float[] probabilities) = OnnxRunner.Run(stream.ToArray(), network, samples);

        using var device = new SequentialDevice();
        OnnxRunner.AssertClose(network.Forward(device, samples), logits, "logit");
        var classes = new int[OnnxNetworks.SampleCount];
        var expectedProbabilities = new float[OnnxNetworks.SampleCount * network.Classes];
        network.PredictProbabilities(samples, classes, expectedProbabilities);
        OnnxRunner.AssertClose(expectedProbabilities, probabilities, "probability");
        OnnxRunner.ArgMax(logits, network.Classes).Should().Equal(network.Predict(samples));
        classes.Should().Equal(network.Predict(samples));
    }

    [Test]
    public void The_trained_networks_output_depends_on_the_running_statistics_training_moved()
    {
        // The round trip above only says something about evaluation mode if training moved the statistics away from
        // (0, 1) and the network's output depends on them; both are checked here on the same network.
        using Network network = OnnxNetworks.TrainedWithBatchNormAndDropout();
        BatchNormalization[] norms = [.. network.Layers.OfType<BatchNormalization>()];
        norms.Should().HaveCount(2);
        foreach (BatchNormalization bn in norms)
        {
            bn.RunningMean.Should().NotContain(0f);
            bn.RunningVariance.Should().NotContain(1f);
        }

        float[] samples = OnnxNetworks.Samples(network);
        using var device = new SequentialDevice();
        float[] trained = network.Forward(device, samples);
        norms[1].RunningVariance.AsSpan().Fill(1f);
        float[] unitVariance = network.Forward(device, samples);
        unitVariance.Should().NotEqual(trained);
    }
}
