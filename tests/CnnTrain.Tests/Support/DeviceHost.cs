using CnnTrain.Devices;

namespace CnnTrain.Tests.Support;

/// <summary>Uploads host arrays, lets a test queue operations on the resulting slices, and reads results back.</summary>
public sealed class DeviceHost(IComputeDevice device) : IDisposable
{
    private readonly List<IDisposable> _buffers = [];

    public IComputeDevice Device { get; } = device;

    public DeviceBuffer<float> Put(float[] values)
    {
        DeviceBuffer<float> buffer = Device.Allocate<float>(values.Length);
        Device.Upload<float>(values, buffer);
        _buffers.Add(buffer);
        return buffer;
    }

    public DeviceBuffer<int> Put(int[] values)
    {
        DeviceBuffer<int> buffer = Device.Allocate<int>(values.Length);
        Device.Upload<int>(values, buffer);
        _buffers.Add(buffer);
        return buffer;
    }

    public DeviceBuffer<float> Floats(int length, float fill = float.NaN)
    {
        // Outputs start as NaN so that an element an operation forgets to write cannot pass for a result.
        float[] init = new float[length];
        Array.Fill(init, fill);
        return Put(init);
    }

    public DeviceBuffer<int> Ints(int length, int fill = -7)
    {
        int[] init = new int[length];
        Array.Fill(init, fill);
        return Put(init);
    }

    public float[] Get(DeviceBuffer<float> buffer)
    {
        var values = new float[buffer.Length];
        Device.Download<float>(buffer, values);
        return values;
    }

    public int[] Get(DeviceBuffer<int> buffer)
    {
        var values = new int[buffer.Length];
        Device.Download<int>(buffer, values);
        return values;
    }

    public void Dispose()
    {
        foreach (IDisposable b in _buffers)
        {
            b.Dispose();
        }
    }
}
