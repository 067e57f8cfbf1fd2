namespace CnnTrain.Devices.Cpu;

/// <summary>A CPU device's buffer: a managed array.</summary>
internal sealed class HostBuffer<T> : DeviceBuffer<T>
    where T : unmanaged
{
    private T[] _array;

    public HostBuffer(IComputeDevice device, int length)
        : base(device, length) => _array = length == 0 ? [] : GC.AllocateUninitializedArray<T>(length, pinned: false);

    public T[] Array
    {
        get
        {
            ThrowIfDisposed();
            return _array;
        }
    }

    protected override void Dispose(bool disposing) => _array = [];
}
