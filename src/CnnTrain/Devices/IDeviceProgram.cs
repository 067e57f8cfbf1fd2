namespace CnnTrain.Devices;

/// <summary>
/// A recorded sequence of device operations that can be replayed many times
/// (a CUDA graph on the GPU; the recorded delegate on the CPU devices).
/// Replays read the current contents of the buffers the recording used, so new data is uploaded
/// into those buffers before a replay, never passed to it.
/// </summary>
public interface IDeviceProgram : IDisposable
{
    /// <summary>Queues one replay. CPU devices run it before returning; the CUDA device returns at once.</summary>
    void Run();
}
