using CnnTrain.Devices.Cuda.Interop;
using NUnit.Framework;

namespace CnnTrain.Tests.Cuda;

/// <summary>Skips, with the driver's reason, tests that need a CUDA device when there is none.</summary>
internal static class CudaTestEnvironment
{
    public static void RequireDevice()
    {
        if (!CudaDriver.TryInitialize(out var reason))
        {
            Assert.Ignore($"Needs a CUDA device: {reason}");
        }
    }
}
