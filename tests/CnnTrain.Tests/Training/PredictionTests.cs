using CnnTrain.Devices.Multicore;
using CnnTrain.Devices.Sequential;
using CnnTrain.Tests.Support;
using FluentAssertions;
using NUnit.Framework;

namespace CnnTrain.Tests.Training;

/// <summary>
/// <c>Network.Predict</c> with probabilities and the
/// default-device overloads: classes with softmax probabilities, equal on every CPU device, without new allocations.
/// </summary>
public class PredictionTests
{
    private const int Samples = 20;

    [Test]
    public void Probabilities_sum_to_one_and_their_first_maximum_is_the_predicted_class()
    {
        using var device = new SequentialDevice();
        using Network network = Network.CreateStudy(4, seed: 3);
        float[] x = TestData.Uniform(5, Samples * 784);
        var classes = new int[Samples];
        var probabilities = new float[Samples * 10];

        network.PredictProbabilities(device, x, classes, probabilities, 7);

        classes.Should().Equal(network.Predict(device, x), "the classes are the first maximum of the logits, as before");
        for (int n = 0; n < Samples; n++)
        {
            float[] p = probabilities[(n * 10)..((n + 1) * 10)];
            p.Should().OnlyContain(v => v >= 0f && v <= 1f);
            p.Sum().Should().BeApproximately(1f, 1e-5f);
            Array.IndexOf(p, p.Max()).Should().Be(classes[n]);
        }

        probabilities.Distinct().Count().Should().BeGreaterThan(Samples, "the probabilities are not a constant");
    }

    [Test]
    public void Probabilities_are_the_same_bits_on_both_CPU_devices_and_the_default_device()
    {
        using var sequential = new SequentialDevice();
        using var multicore = new MulticoreDevice(3);
        using Network network = Network.CreateStudy(4, seed: 4);
        float[] x = TestData.Uniform(6, Samples * 784);
        (int[] classes, float[] probabilities) Run(Action<int[], float[]> predict)
        {
            var c = new int[Samples];
            var p = new float[Samples * 10];
            predict(c, p);
            return (c, p);
        }

        var expected = Run((c, p) => network.PredictProbabilities(sequential, x, c, p, 256));
        var onMulticore = Run((c, p) => network.PredictProbabilities(multicore, x, c, p, 6));
        var onDefault = Run((c, p) => network.PredictProbabilities(x, c, p));

        Bits.AssertEqual(expected.probabilities, onMulticore.probabilities, "multicore probabilities");
        Bits.AssertEqual(expected.probabilities, onDefault.probabilities, "default-device probabilities");
        onMulticore.classes.Should().Equal(expected.classes);
        onDefault.classes.Should().Equal(expected.classes);
        network.Predict(x).Should().Equal(expected.classes);
    }

    [Test]
    public void One_sample_gives_what_the_batch_gives_for_it()
    {
        using Network network = Network.CreateStudy(4, seed: 5);
        float[] x = TestData.Uniform(7, 3 * 784);
        var classes = new int[3];
        var probabilities = new float[30];
        network.PredictProbabilities(x, classes, probabilities);

        var one = new float[10];
        int predicted = network.Predict(x.AsSpan(784, 784), one);

        predicted.Should().Be(classes[1]);
        Bits.AssertEqual(probabilities.AsSpan(10, 10), one, "the second sample's probabilities");
    }

    [Test]
    public void Repeated_predictions_reuse_their_buffers_and_allocate_nothing_that_grows_with_the_samples()
    {
        using var device = new SequentialDevice();
        using Network network = Network.CreateStudy(4, seed: 6);
        float[] few = TestData.Uniform(8, 4 * 784);
        float[] many = TestData.Uniform(8, 256 * 784);
        var classes = new int[256];
        var probabilities = new float[256 * 10];
        network.PredictProbabilities(device, many, classes, probabilities, 256);
        long held = device.AllocatedBytes;

        long manyBytes = Allocations.Measure(() => network.PredictProbabilities(device, many, classes, probabilities, 256));
        long fewBytes = Allocations.Measure(() => network.PredictProbabilities(device, few, classes.AsSpan(0, 4), probabilities.AsSpan(0, 40), 256));
        long again = Allocations.Measure(() => network.PredictProbabilities(device, many, classes, probabilities, 256));

        // What remains per call is the device's per-operation bookkeeping, the same for 4 samples as for 256: no logits,
        // probabilities or device buffers are allocated again.
        manyBytes.Should().Be(fewBytes, "nothing allocated grows with the number of samples");
        again.Should().Be(manyBytes, "repeated calls stay flat");
        manyBytes.Should().BeLessThan(256 * 10 * sizeof(float), "not even one copy of the logits is allocated");
        device.AllocatedBytes.Should().Be(held, "the device buffers of the first call are reused");
    }

    [Test]
    public void Wrong_output_lengths_are_refused_with_the_parameter_named()
    {
        using var device = new SequentialDevice();
        using Network network = Network.CreateStudy(4, seed: 8);
        float[] x = TestData.Uniform(1, 2 * 784);

        FluentActions.Invoking(() => network.PredictProbabilities(device, x, new int[1], new float[20], 256))
            .Should().Throw<ArgumentException>().WithParameterName("classes");
        FluentActions.Invoking(() => network.PredictProbabilities(device, x, new int[2], new float[19], 256))
            .Should().Throw<ArgumentException>().WithParameterName("probabilities");
        FluentActions.Invoking(() => network.Predict(x.AsSpan(0, 783), new float[10]))
            .Should().Throw<ArgumentException>().WithParameterName("sample");
    }

    [Test]
    public void Disposing_frees_the_default_device_and_refuses_it_afterwards()
    {
        var network = Network.CreateStudy(4, seed: 9);
        float[] x = TestData.Uniform(1, 784);
        network.Predict(x).Should().HaveCount(1);

        network.Dispose();

        FluentActions.Invoking(() => network.Predict(x)).Should().Throw<ObjectDisposedException>();
        using var device = new SequentialDevice();
        network.Predict(device, x).Should().HaveCount(1, "a device the caller passes still works");
    }
}
