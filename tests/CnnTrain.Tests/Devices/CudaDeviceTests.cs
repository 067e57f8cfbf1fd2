using CnnTrain.Devices;
using CnnTrain.Devices.Cuda;
using CnnTrain.Tests.Cuda;
using NUnit.Framework;

namespace CnnTrain.Tests.Devices;

/// <summary>The device suite on the GPU; where CUDA cannot run, every test is reported skipped with the reason.</summary>
[TestFixture]
[RequiresCuda]
public sealed class CudaDeviceTests : DeviceContract
{
    protected override IComputeDevice CreateDevice() => CudaAvailability.Open();
}
