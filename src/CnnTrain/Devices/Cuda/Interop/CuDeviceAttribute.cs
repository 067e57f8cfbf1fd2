namespace CnnTrain.Devices.Cuda.Interop;

/// <summary>The <c>CUdevice_attribute</c> values this layer queries.</summary>
internal enum CuDeviceAttribute
{
    MultiprocessorCount = 16,
    ComputeCapabilityMajor = 75,
    ComputeCapabilityMinor = 76,
}
