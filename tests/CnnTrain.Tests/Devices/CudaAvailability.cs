using CnnTrain.Devices.Cuda;
using NUnit.Framework;

namespace CnnTrain.Tests.Devices;

/// <summary>Opens the first GPU, or ignores the calling test (or fixture) with the reason CUDA is unavailable here.</summary>
public static class CudaAvailability
{
    public static CudaDevice Open()
    {
        if (!CudaDevice.IsAvailable(out string reason))
        {
            Assert.Ignore($"CUDA is not available on this machine: {reason}");
        }

        return new CudaDevice();
    }
}
