namespace CnnTrain.Devices.Cpu;

/// <summary>
/// The part the CPU devices share: host memory, recording of programs, and the argument checks.
/// Operations run on the calling thread (or its worker threads) before the call returns, unless a recording
/// is under way, in which case they are checked and kept for replay. Subclasses supply the arithmetic.
/// </summary>
/// <remarks>A device is not thread-safe: queue its operations from one thread at a time.</remarks>
public abstract partial class CpuDevice : IComputeDevice
{
    private readonly MemoryCounter _memory = new();
    private List<Action>? _recording;
    private bool _disposed;

    /// <inheritdoc />
    public abstract string Name { get; }

    /// <inheritdoc />
    public long AllocatedBytes => _memory.Allocated;

    /// <inheritdoc />
    public long PeakAllocatedBytes => _memory.Peak;

    /// <inheritdoc />
    public void ResetPeakAllocatedBytes() => _memory.ResetPeak();

    /// <inheritdoc />
    public DeviceBuffer<T> Allocate<T>(int length)
        where T : unmanaged
    {
        ThrowIfRecording(nameof(Allocate));
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        var buffer = new HostBuffer<T>(this, _memory, length);
        buffer.Array.AsSpan().Clear();
        return buffer;
    }

    /// <inheritdoc />
    public void Upload<T>(ReadOnlySpan<T> source, DeviceSlice<T> destination)
        where T : unmanaged
    {
        ThrowIfRecording(nameof(Upload));
        DeviceChecks.Slice(this, destination, source.Length, nameof(destination));
        source.CopyTo(Span(destination));
    }

    /// <inheritdoc />
    public void Download<T>(DeviceSlice<T> source, Span<T> destination)
        where T : unmanaged
    {
        ThrowIfRecording(nameof(Download));
        DeviceChecks.Owned(this, source, nameof(source));
        DeviceChecks.SameLength(source.Length, destination.Length, nameof(destination));
        Span(source).CopyTo(destination);
    }

    /// <inheritdoc />
    public void Copy<T>(DeviceSlice<T> source, DeviceSlice<T> destination)
        where T : unmanaged
    {
        DeviceChecks.Owned(this, source, nameof(source));
        DeviceChecks.Slice(this, destination, source.Length, nameof(destination));
        Enqueue(() => Span(source).CopyTo(Span(destination)));
    }

    /// <inheritdoc />
    public void Fill(float value, DeviceSlice<float> destination)
    {
        DeviceChecks.Owned(this, destination, nameof(destination));
        Enqueue(() => Span(destination).Fill(value));
    }

    /// <inheritdoc />
    public IDeviceProgram Record(Action work)
    {
        ArgumentNullException.ThrowIfNull(work);
        ThrowIfDisposed();
        ThrowIfRecording(nameof(Record));
        var steps = new List<Action>();
        _recording = steps;
        try
        {
            work();
        }
        finally
        {
            _recording = null;
        }

        return new RecordedProgram(this, [.. steps]);
    }

    /// <inheritdoc />
    public IDeviceMarker Mark()
    {
        ThrowIfRecording(nameof(Mark));
        return CompletedMarker.Instance;
    }

    /// <inheritdoc />
    public void Synchronize() => ThrowIfRecording(nameof(Synchronize));

    /// <inheritdoc />
    public void Gather<T>(DeviceSlice<T> source, int rowLength, DeviceSlice<int> rows, DeviceSlice<T> destination)
        where T : unmanaged
    {
        DeviceChecks.Gather(this, source, rowLength, rows, destination);
        int sourceRows = source.Length / rowLength;
        Enqueue(() => GatherCore(Span(source), rowLength, sourceRows, Span(rows), Span(destination)));
    }

    /// <summary>Releases the device; its buffers become unusable.</summary>
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases resources held by a subclass.</summary>
    /// <param name="disposing">True when called from <see cref="Dispose()"/>.</param>
    protected virtual void Dispose(bool disposing) => _disposed = true;

    /// <summary>Throws <see cref="ObjectDisposedException"/> after <see cref="Dispose()"/>.</summary>
    protected void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);

    /// <summary>Runs <paramref name="operation"/> now, or keeps it when a recording is under way.</summary>
    protected void Enqueue(Action operation)
    {
        ThrowIfDisposed();
        if (_recording is not null)
        {
            _recording.Add(operation);
        }
        else
        {
            operation();
        }
    }

    /// <summary>The host memory behind a slice of this device.</summary>
    protected static Span<T> Span<T>(DeviceSlice<T> slice)
        where T : unmanaged =>
        slice.Buffer is null ? default : ((HostBuffer<T>)slice.Buffer).Array.AsSpan(slice.Offset, slice.Length);

    /// <summary>Copies whole rows; the subclass chooses how to spread the copies over threads.</summary>
    protected abstract void GatherCore<T>(ReadOnlySpan<T> source, int rowLength, int sourceRows, ReadOnlySpan<int> rows, Span<T> destination)
        where T : unmanaged;

    private void ThrowIfRecording(string operation)
    {
        ThrowIfDisposed();
        if (_recording is not null)
        {
            throw new InvalidOperationException($"{operation} cannot be called while a program is being recorded.");
        }
    }

    private sealed class RecordedProgram(CpuDevice device, Action[] steps) : IDeviceProgram
    {
        private bool _disposed;

        public void Run()
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            device.ThrowIfRecording(nameof(Run));
            foreach (Action step in steps)
            {
                step();
            }
        }

        public void Dispose() => _disposed = true;
    }

    private sealed class CompletedMarker : IDeviceMarker
    {
        public static readonly CompletedMarker Instance = new();

        public bool IsReached => true;

        public void Wait()
        {
        }

        public void Dispose()
        {
        }
    }
}
