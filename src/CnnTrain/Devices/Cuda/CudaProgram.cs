using CnnTrain.Devices.Cuda.Interop;

namespace CnnTrain.Devices.Cuda;

/// <summary>A recorded sequence of operations: an instantiated CUDA graph, launched on the device's stream.</summary>
internal sealed class CudaProgram(CudaDevice device, CudaGraph graph, CudaGraphExec executable, int operations) : IDeviceProgram
{
    private bool _disposed;

    /// <summary>How many operations the recording captured.</summary>
    public int Operations { get; } = operations;

    public void Run()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        device.Launch(executable);
    }

    public void Dispose()
    {
        if (!_disposed)
        {
            _disposed = true;
            executable.Dispose();
            graph.Dispose();
        }
    }
}
