using CnnTrain.Data;
using CnnTrain.Devices;
using CnnTrain.Devices.Sequential;
using CnnTrain.Tests.Support;
using CnnTrain.Training;
using FluentAssertions;
using NUnit.Framework;

namespace CnnTrain.Tests.Devices;

/// <summary>Prediction with probabilities, validation sets and augmentation: the same bits as the reference device.</summary>
public abstract partial class DeviceContract
{
    [Test]
    public void Predicted_probabilities_match_the_reference_bits()
    {
        using Network network = Network.CreateStudy(4, seed: 11);
        float[] x = TestData.Uniform(12, 30 * 784);
        (int[] Classes, float[] Probabilities) Run(IComputeDevice device)
        {
            var classes = new int[30];
            var probabilities = new float[300];
            network.PredictProbabilities(device, x, classes, probabilities, 16);
            return (classes, probabilities);
        }

        using var reference = new SequentialDevice();
        (int[] expectedClasses, float[] expected) = Run(reference);
        (int[] classes, float[] probabilities) = Run(Device);

        Bits.AssertEqual(expected, probabilities, "probabilities");
        classes.Should().Equal(expectedClasses);
    }

    [Test]
    public void Training_with_a_validation_split_and_augmentation_matches_the_reference_bits()
    {
        var options = new TrainerOptions
        {
            BatchSize = 25, LearningRate = 0.05f, Seed = 6, ValidationFraction = 0.2,
            Augmentation = new Augmentation(2, horizontalFlip: true),
            EarlyStopping = new EarlyStopping(5, metric: EarlyStoppingMetric.ValidationLoss) { RestoreBestWeights = true },
        };
        Dataset train = TestData.BundledTrain.Slice(0, 150), test = TestData.BundledTest.Slice(0, 40);
        (string Digest, double[] Validation, double[] Test) Run(IComputeDevice device)
        {
            using var trainer = new Trainer(Network.CreateStudy(4, seed: 3), device, options);
            IReadOnlyList<EpochMetrics> metrics = trainer.Fit(train, test, epochs: 2);
            return (trainer.Network.GetParameterDigest(), [.. metrics.Select(m => m.Validation!.MeanLoss)], [.. metrics.Select(m => m.Test!.MeanLoss)]);
        }

        using var reference = new SequentialDevice();
        var expected = Run(reference);
        var actual = Run(Device);

        actual.Digest.Should().Be(expected.Digest);
        actual.Validation.Should().Equal(expected.Validation);
        actual.Test.Should().Equal(expected.Test);
    }
}
