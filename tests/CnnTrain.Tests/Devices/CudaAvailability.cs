using CnnTrain.Devices.Cuda;
using CnnTrain.Tests.Cuda;

namespace CnnTrain.Tests.Devices;

/// <summary>Opens the first GPU, or ignores the calling test (or fixture) with the reason CUDA is unavailable here.</summary>
public static class CudaAvailability
{
    public static CudaDevice Open()
    {
        CudaTestEnvironment.RequireDevice();
        return new CudaDevice();
    }
}
