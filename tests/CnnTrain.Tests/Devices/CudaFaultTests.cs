using CnnTrain.Devices;
using CnnTrain.Devices.Cuda;
using CnnTrain.Ops;
using CnnTrain.Tests.Cuda;
using CnnTrain.Tests.Support;
using CnnTrain.Training;
using FluentAssertions;
using NUnit.Framework;

namespace CnnTrain.Tests.Devices;

/// <summary>GPU faults: each raises a clear exception, the device can be disposed afterwards, and no allocation is left behind.</summary>
[NonParallelizable]
[RequiresCuda]
public sealed class CudaFaultTests
{
    [Test]
    public void Running_out_of_memory_in_training_is_a_CudaException_and_leaves_nothing_behind()
    {
        using CudaDevice device = CudaAvailability.Open();
        int before = device.LiveAllocations;
        var filler = new List<DeviceBuffer<float>>();
        try
        {
            // Take the GPU's memory in 8 GiB blocks, then give one back: room for a little more than 8 GiB.
            try
            {
                while (filler.Count < 64)
                {
                    filler.Add(device.Allocate<float>(int.MaxValue));
                }
            }
            catch (CudaException e) when (e.ErrorName == "CUDA_ERROR_OUT_OF_MEMORY")
            {
            }

            for (int i = 0; i < 1 && filler.Count > 0; i++)
            {
                filler[^1].Dispose();
                filler.RemoveAt(filler.Count - 1);
            }

            // 1024 planes of 28x28 a sample: 3.2 MB each, 8 GB for the 2,500 samples of a batch, and as much again for its gradient.
            var network = new Network(TensorShape.Image(1, 28, 28), new CnnTrain.Layers.Conv2D(1024, 1), new CnnTrain.Layers.Flatten(), new CnnTrain.Layers.Dense(2));
            var data = new CnnTrain.Data.Dataset(TensorShape.Image(1, 28, 28), new float[2500 * 784], new int[2500], 2);
            using (var trainer = new Trainer(network, device, new TrainerOptions { BatchSize = 2500 }))
            {
                FluentActions.Invoking(() => trainer.Fit(data)).Should().Throw<CudaException>().Where(e => e.ErrorName == "CUDA_ERROR_OUT_OF_MEMORY");
            }
        }
        finally
        {
            filler.ForEach(b => b.Dispose());
        }

        device.LiveAllocations.Should().Be(before, "the failed plan released what it had taken");
        using var h = new DeviceHost(device);
        h.Get(h.Put([1f, 2f])).Should().Equal(1f, 2f);
    }

    [Test]
    public void A_failing_launch_names_the_kernel_and_the_device_keeps_working()
    {
        using CudaDevice device = CudaAvailability.Open();
        using var h = new DeviceHost(device);
        var x = h.Put([1f, -1f]);
        var y = h.Floats(2);
        var relu = new CudaKernelName("activation", "relu_forward");
        var act = () =>
        {
            var args = device.Arguments();
            args.Add(2L);
            args.Add(CudaDevice.Address(x.All));
            args.Add(CudaDevice.Address(y.All));
            device.Launch(relu, (1, 1, 1), (4096, 1, 1), ref args);
        };
        act.Should().Throw<CudaException>().Where(e => e.Operation.Contains("relu_forward", StringComparison.Ordinal));

        new ReluForward(x, y).Run(device);
        h.Get(y).Should().Equal(1f, 0f);
    }

    [Test]
    public void Use_after_dispose_is_an_ObjectDisposedException_and_memory_is_still_released()
    {
        CudaDevice device = CudaAvailability.Open();
        DeviceBuffer<float> kept = device.Allocate<float>(16);
        var trainer = new Trainer(Network.CreateStudy(2, seed: 1), device, new TrainerOptions { BatchSize = 8 });
        trainer.Fit(TestData.BundledTrain.Slice(0, 16));
        device.Dispose();

        FluentActions.Invoking(() => device.Allocate<float>(4)).Should().Throw<ObjectDisposedException>();
        FluentActions.Invoking(() => device.Upload<float>([1f], kept.Slice(0, 1))).Should().Throw<ObjectDisposedException>();
        FluentActions.Invoking(() => trainer.Fit(TestData.BundledTrain.Slice(0, 16))).Should().Throw<ObjectDisposedException>();
        trainer.Dispose();
        kept.Dispose();
        device.LiveAllocations.Should().Be(0, "every buffer, the trainer's too, is released after the device");
    }
}
