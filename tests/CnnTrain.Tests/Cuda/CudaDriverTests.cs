using CnnTrain.Devices.Cuda.Interop;
using FluentAssertions;
using NUnit.Framework;

namespace CnnTrain.Tests.Cuda;

public class CudaDriverTests
{
    [Test]
    public void TryInitialize_reports_a_device_or_the_reason_there_is_none()
    {
        bool available = CudaDriver.TryInitialize(out var reason);

        TestContext.Out.WriteLine(available ? $"CUDA available: {CudaDriver.DeviceCount} device(s)" : $"CUDA unavailable: {reason}");
        if (available)
        {
            reason.Should().BeEmpty();
            CudaDriver.DeviceCount.Should().BePositive();
        }
        else
        {
            reason.Should().NotBeNullOrWhiteSpace();
        }
    }

    [Test]
    [RequiresCuda]
    public void Describes_device_zero()
    {
        CudaTestEnvironment.RequireDevice();

        var (major, minor) = CudaDriver.ComputeCapability(0);
        TestContext.Out.WriteLine(
            $"{CudaDriver.DeviceName(0)}: compute {major}.{minor}, {CudaDriver.MultiprocessorCount(0)} SMs, " +
            $"{CudaDriver.TotalMemory(0) >> 20} MiB, driver {CudaDriver.DriverVersion}");
        CudaDriver.DeviceName(0).Should().NotBeNullOrWhiteSpace();
        major.Should().BeGreaterThanOrEqualTo(5);
        minor.Should().BeGreaterThanOrEqualTo(0);
        CudaDriver.MultiprocessorCount(0).Should().BePositive();
        CudaDriver.TotalMemory(0).Should().BePositive();
        CudaDriver.DriverVersion.Should().BeGreaterThanOrEqualTo(11040);
    }

    [Test]
    [RequiresCuda]
    public void A_missing_device_ordinal_throws()
    {
        CudaTestEnvironment.RequireDevice();

        FluentActions.Invoking(() => CudaDriver.DeviceName(CudaDriver.DeviceCount))
            .Should().Throw<CnnTrain.Devices.Cuda.CudaException>().Which.ErrorName.Should().BeOneOf("CUDA_ERROR_INVALID_DEVICE", "CUDA_ERROR_INVALID_VALUE");
    }
}
