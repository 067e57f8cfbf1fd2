using System.Runtime.CompilerServices;
using CnnTrain.Devices.Cuda.Interop;

namespace CnnTrain.Devices.Cuda;

/// <summary>A <see cref="CudaDevice"/> buffer: one device allocation.</summary>
internal sealed class CudaBuffer<T> : DeviceBuffer<T>
    where T : unmanaged
{
    private readonly CudaDeviceMemory? _memory;
    private readonly MemoryCounter _counter;

    public CudaBuffer(CudaDevice device, CudaContext context, MemoryCounter counter, int length)
        : base(device, length)
    {
        // A zero-length buffer owns no allocation; its slices are all empty.
        _memory = length == 0 ? null : CudaDeviceMemory.Allocate(context, (ulong)length * (ulong)Unsafe.SizeOf<T>());
        _counter = counter;
        _counter.Add((long)(_memory?.Bytes ?? 0));
    }

    /// <summary>The device address of element <paramref name="index"/>.</summary>
    public ulong Address(int index)
    {
        ThrowIfDisposed();
        return _memory is null ? 0 : _memory.Pointer + ((ulong)index * (ulong)Unsafe.SizeOf<T>());
    }

    private protected override void Dispose(bool disposing)
    {
        if (_memory is not null)
        {
            _counter.Remove((long)_memory.Bytes);
            _memory.Dispose();
        }
    }
}
