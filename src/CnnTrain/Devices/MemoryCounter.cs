namespace CnnTrain.Devices;

/// <summary>
/// The bytes a device's live buffers hold and the most they held at once, kept by the buffers themselves as
/// they are created and disposed (buffers may be disposed by the finalizer thread, hence the interlocked updates).
/// </summary>
internal sealed class MemoryCounter
{
    private long _allocated;
    private long _peak;

    public long Allocated => Volatile.Read(ref _allocated);

    public long Peak => Volatile.Read(ref _peak);

    public void Add(long bytes)
    {
        long now = Interlocked.Add(ref _allocated, bytes);
        long peak = Volatile.Read(ref _peak);
        while (now > peak)
        {
            long seen = Interlocked.CompareExchange(ref _peak, now, peak);
            if (seen == peak)
            {
                break;
            }

            peak = seen;
        }
    }

    public void Remove(long bytes) => Interlocked.Add(ref _allocated, -bytes);

    public void ResetPeak() => Volatile.Write(ref _peak, Allocated);
}
