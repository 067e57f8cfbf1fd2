using CnnTrain.Devices;
using CnnTrain.Devices.Cuda;
using CnnTrain.Numerics;
using CnnTrain.Tests.Cuda;
using CnnTrain.Tests.Support;
using CnnTrain.Training;
using FluentAssertions;
using NUnit.Framework;

namespace CnnTrain.Tests.Devices;

/// <summary>What only the CUDA device has: its kernels' copy of exp and log, native resources, and driver errors.</summary>
public sealed class CudaDeviceSpecificTests
{
    [Test]
    [RequiresCuda]
    public void KernelExpAndLogEqualTheManagedCopyBitForBit()
    {
        using CudaDevice device = CudaAvailability.Open();
        var random = new Random(3);
        float[] x = [.. Enumerable.Range(0, 1 << 16).Select(_ => (float)((random.NextDouble() * 200) - 105))];
        x = [.. x, 0f, -0f, 1f, 88.72f, -103.9f, float.Epsilon, 1e-40f, float.MaxValue, float.PositiveInfinity];
        using var h = new DeviceHost(device);
        var exp = h.Floats(x.Length);
        var log = h.Floats(x.Length);
        DeterministicMathProbe.Run(device, h.Put(x), exp, log);
        Bits.AssertEqual([.. x.Select(DeterministicMath.Exp)], h.Get(exp), "exp");
        Bits.AssertEqual([.. x.Select(v => DeterministicMath.Log(Math.Abs(v)))], h.Get(log), "log");
    }

    [Test]
    [RequiresCuda]
    public void DisposingEverythingReleasesEveryAllocation()
    {
        using CudaDevice device = CudaAvailability.Open();
        int before = device.LiveAllocations;
        Network network = Network.CreateStudy(4, seed: 1);
        using (var trainer = new Trainer(network, device, new TrainerOptions { BatchSize = 16 }))
        {
            trainer.Fit(TestData.BundledTrain.Slice(0, 64), TestData.BundledTest.Slice(0, 32), 1);
            device.LiveAllocations.Should().BeGreaterThan(before);
        }

        DeviceBuffer<float> loose = device.Allocate<float>(10);
        device.LiveAllocations.Should().Be(before + 1);
        loose.Dispose();
        device.LiveAllocations.Should().Be(before, "every buffer the trainer, its plans and its network allocated is released");
    }

    [Test]
    [RequiresCuda]
    public void RecordedProgramsReplayAsGraphs()
    {
        using CudaDevice device = CudaAvailability.Open();
        using var h = new DeviceHost(device);
        var a = h.Put([1f, -2f, 3f]);
        var b = h.Floats(3);
        using IDeviceProgram program = device.Record(() =>
        {
            new CnnTrain.Ops.ReluForward(a, b).Run(device);
            device.Fill(7f, a.Slice(0, 1));
        });
        h.Get(b).Should().OnlyContain(v => float.IsNaN(v), "recording runs nothing");
        program.Run();
        h.Get(b).Should().Equal(1f, 0f, 3f);
        h.Get(a).Should().Equal(7f, -2f, 3f);
    }

    [Test]
    [RequiresCuda]
    public void AnOutOfRangeOrdinalIsRejectedByName()
    {
        CnnTrain.Tests.Cuda.CudaTestEnvironment.RequireDevice();
        FluentActions.Invoking(() => new CudaDevice(1000)).Should().Throw<ArgumentOutOfRangeException>().Where(e => e.ParamName == "deviceOrdinal");
    }

    [Test]
    public void WithoutAGpuTheDeviceSaysWhy()
    {
        if (CudaDevice.IsAvailable(out _))
        {
            Assert.Ignore("A GPU is present; this test covers machines without one.");
        }

        CudaDevice.IsAvailable(out string reason).Should().BeFalse();
        reason.Should().NotBeNullOrWhiteSpace();
        FluentActions.Invoking(() => new CudaDevice()).Should().Throw<Exception>()
            .Where(e => e is NotSupportedException || e is CudaException, "a missing driver is NotSupported, a driver without a device a CudaException");
    }

    [Test]
    [RequiresCuda]
    public void OutOfMemoryIsACudaException()
    {
        using CudaDevice device = CudaAvailability.Open();
        FluentActions.Invoking(() => device.Allocate<float>(int.MaxValue).Dispose())
            .Should().NotThrow("2^31 floats (8 GiB) fit an H100");
        var buffers = new List<DeviceBuffer<float>>();
        try
        {
            var act = () =>
            {
                for (int i = 0; i < 1000; i++)
                {
                    buffers.Add(device.Allocate<float>(int.MaxValue));
                }
            };
            act.Should().Throw<CudaException>().Where(e => e.ErrorName == "CUDA_ERROR_OUT_OF_MEMORY");
        }
        finally
        {
            buffers.ForEach(b => b.Dispose());
        }
    }
}
