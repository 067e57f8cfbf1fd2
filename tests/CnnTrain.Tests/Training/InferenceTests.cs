using CnnTrain.Devices.Sequential;
using CnnTrain.Tests.Support;
using CnnTrain.Training;
using FluentAssertions;
using NUnit.Framework;

namespace CnnTrain.Tests.Training;

/// <summary><see cref="Network.Forward"/> and <c>Network.Predict</c> plan for inference only, and keep that plan between calls.</summary>
public class InferenceTests
{
    [Test]
    public void Repeated_calls_reuse_the_inference_buffers()
    {
        using var device = new SequentialDevice();
        Network network = Network.CreateStudy(8, seed: 1);
        float[] x = TestData.Uniform(1, 50 * 784);
        float[] first = network.Forward(device, x, batchSize: 25);
        long held = device.AllocatedBytes;
        device.ResetPeakAllocatedBytes();

        network.Forward(device, x, batchSize: 25).Should().Equal(first);
        network.Predict(device, x, batchSize: 10).Should().HaveCount(50);
        device.AllocatedBytes.Should().Be(held, "the second call allocates nothing new");
        device.PeakAllocatedBytes.Should().Be(held);

        network.ReleaseDeviceBuffers();
        device.AllocatedBytes.Should().Be(0);
    }

    [Test]
    public void Inference_allocates_no_gradients_or_optimizer_state()
    {
        using var device = new SequentialDevice();
        Network network = Network.CreateStudy(8, seed: 1);
        network.Forward(device, TestData.Uniform(1, 100 * 784), batchSize: 100);
        long inference = device.AllocatedBytes;
        network.ReleaseDeviceBuffers();

        using (var trainer = new Trainer(network, device, new TrainerOptions { BatchSize = 100 }))
        {
            device.AllocatedBytes.Should().Be(0, "a trainer takes device memory when it first trains");
            trainer.Fit(TestData.BundledTrain.Slice(0, 100));
            long training = device.AllocatedBytes;
            // Training adds the gradients between stages, a partial per sample of the convolution's parameters,
            // every gradient and every velocity; inference holds parameters, activations, input and predictions.
            long parameters = network.ParameterCount * sizeof(float);
            inference.Should().BeLessThan(training - (2 * parameters));
        }
    }

    [Test]
    public void Another_device_releases_the_buffers_kept_on_the_first()
    {
        using var first = new SequentialDevice();
        using var second = new SequentialDevice();
        Network network = Network.CreateStudy(4, seed: 2);
        float[] x = TestData.Uniform(3, 4 * 784);
        int[] predicted = network.Predict(first, x);
        first.AllocatedBytes.Should().BePositive();

        network.Predict(second, x).Should().Equal(predicted);
        first.AllocatedBytes.Should().Be(0);
        second.AllocatedBytes.Should().BePositive();
    }
}
