namespace CnnTrain.Devices.Cuda.Interop;

/// <summary>
/// A marker in a stream: <see cref="Record"/> places it after the work queued so far, and it completes when
/// that work has. Used to poll or wait for part of a stream, and to time the device.
/// </summary>
internal sealed class CudaEvent : IDisposable
{
    private const uint DefaultFlags = 0x0;
    private const uint DisableTimingFlags = 0x2;

    private readonly CudaEventHandle _handle;

    /// <summary>Creates an event in <paramref name="context"/>.</summary>
    /// <param name="context">The owning context.</param>
    /// <param name="timing">False for an event that only marks completion, which records more cheaply.</param>
    public CudaEvent(CudaContext context, bool timing = true)
    {
        ArgumentNullException.ThrowIfNull(context);
        var handle = new CudaEventHandle();
        context.MakeCurrent();
        CudaCheck.Check(CudaApi.cuEventCreate(out nint @event, timing ? DefaultFlags : DisableTimingFlags), "cuEventCreate");
        handle.Attach(context.Handle, @event);
        _handle = handle;
    }

    /// <summary>Whether the work before the last <see cref="Record"/> has finished (true if never recorded).</summary>
    public bool IsCompleted
    {
        get
        {
            var result = CudaApi.cuEventQuery(RawHandle);
            return result switch
            {
                CuResult.Success => true,
                CuResult.NotReady => false,
                _ => throw CudaCheck.Create(result, "cuEventQuery"),
            };
        }
    }

    private nint RawHandle
    {
        get
        {
            ObjectDisposedException.ThrowIf(_handle.IsClosed, this);
            return _handle.DangerousGetHandle();
        }
    }

    /// <summary>The milliseconds between two completed, timing events (resolution about 0.5 µs).</summary>
    public static float ElapsedMilliseconds(CudaEvent start, CudaEvent end)
    {
        ArgumentNullException.ThrowIfNull(start);
        ArgumentNullException.ThrowIfNull(end);
        CudaCheck.Check(CudaApi.cuEventElapsedTime(out float milliseconds, start.RawHandle, end.RawHandle), "cuEventElapsedTime");
        return milliseconds;
    }

    /// <summary>Places the event after the work queued so far on <paramref name="stream"/>.</summary>
    public void Record(CudaStream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        CudaCheck.Check(CudaApi.cuEventRecord(RawHandle, stream.RawHandle), "cuEventRecord");
    }

    /// <summary>Blocks until the event has completed; reports errors from the work before it.</summary>
    public void Synchronize() => CudaCheck.Check(CudaApi.cuEventSynchronize(RawHandle), "cuEventSynchronize");

    /// <summary>Destroys the event.</summary>
    public void Dispose() => _handle.Dispose();
}
