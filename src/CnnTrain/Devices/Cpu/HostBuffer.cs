namespace CnnTrain.Devices.Cpu;

/// <summary>A CPU device's buffer: a managed array.</summary>
internal sealed class HostBuffer<T> : DeviceBuffer<T>
    where T : unmanaged
{
    private readonly MemoryCounter _counter;
    private T[] _array;

    public HostBuffer(IComputeDevice device, MemoryCounter counter, int length)
        : base(device, length)
    {
        _array = length == 0 ? [] : GC.AllocateUninitializedArray<T>(length, pinned: false);
        _counter = counter;
        _counter.Add(Bytes);
    }

    private long Bytes => (long)Length * System.Runtime.CompilerServices.Unsafe.SizeOf<T>();

    public T[] Array
    {
        get
        {
            ThrowIfDisposed();
            return _array;
        }
    }

    private protected override void Dispose(bool disposing)
    {
        _array = [];
        _counter.Remove(Bytes);
    }
}
