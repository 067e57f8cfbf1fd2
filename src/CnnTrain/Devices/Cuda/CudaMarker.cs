using CnnTrain.Devices.Cuda.Interop;

namespace CnnTrain.Devices.Cuda;

/// <summary>A point in the device's stream: a CUDA event recorded there.</summary>
internal sealed class CudaMarker(CudaEvent recorded) : IDeviceMarker
{
    public bool IsReached => recorded.IsCompleted;

    public void Wait() => recorded.Synchronize();

    public void Dispose() => recorded.Dispose();
}
