using CnnTrain.Ops;

namespace CnnTrain.Devices.Cpu;

/// <summary>
/// What the CPU devices share: host memory, recorded programs, and the threads that operations run on. An
/// operation runs on the calling thread (and the device's workers) before the call returns, unless a recording
/// is under way, in which case it is kept for replay. Which implementation of an operation runs, the reference
/// loops or the SIMD one, is the device's choice (<see cref="UsesSimd"/>).
/// </summary>
/// <remarks>A device is not thread-safe: queue its work from one thread at a time.</remarks>
public abstract class CpuDevice : IComputeDevice
{
    private readonly MemoryCounter _memory = new();
    private readonly ParallelOptions _parallel;
    private List<Action>? _recording;
    private bool _disposed;

    private protected CpuDevice(int threads, bool usesSimd)
    {
        Threads = threads;
        UsesSimd = usesSimd;
        _parallel = new ParallelOptions { MaxDegreeOfParallelism = threads };
    }

    /// <inheritdoc />
    public abstract string Name { get; }

    /// <summary>The number of threads operations run on.</summary>
    public int Threads { get; }

    /// <inheritdoc />
    public long AllocatedBytes => _memory.Allocated;

    /// <inheritdoc />
    public long PeakAllocatedBytes => _memory.Peak;

    /// <summary>Whether operations run their SIMD implementation (else the reference loops).</summary>
    internal bool UsesSimd { get; }

    /// <summary>
    /// The parallel regions (fork-joins over the device's threads) run so far: each costs a wake-up of the workers and
    /// a join, so an operation should run as few as it can.
    /// </summary>
    internal long ParallelRegions { get; private set; }

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
        SliceChecks.Slice(this, destination, source.Length, nameof(destination));
        SliceChecks.TrackUpload(source, destination);
        source.CopyTo(Span(destination));
    }

    /// <inheritdoc />
    public void Download<T>(DeviceSlice<T> source, Span<T> destination)
        where T : unmanaged
    {
        ThrowIfRecording(nameof(Download));
        SliceChecks.Owned(this, source, nameof(source));
        SliceChecks.SameLength(source.Length, destination.Length, nameof(destination));
        Span(source).CopyTo(destination);
    }

    /// <inheritdoc />
    public void Copy<T>(DeviceSlice<T> source, DeviceSlice<T> destination)
        where T : unmanaged
    {
        SliceChecks.Owned(this, source, nameof(source));
        SliceChecks.Slice(this, destination, source.Length, nameof(destination));
        SliceChecks.TrackCopy(source, destination);
        Enqueue(() => Span(source).CopyTo(Span(destination)));
    }

    /// <inheritdoc />
    public void Fill(float value, DeviceSlice<float> destination)
    {
        SliceChecks.Owned(this, destination, nameof(destination));
        Enqueue(() => Span(destination).Fill(value));
    }

    /// <inheritdoc />
    public IDeviceProgram Record(Action work)
    {
        ArgumentNullException.ThrowIfNull(work);
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

    /// <summary>Releases the device; its buffers become unusable.</summary>
    public void Dispose()
    {
        _disposed = true;
        GC.SuppressFinalize(this);
    }

    /// <summary>The host memory behind a slice of this device.</summary>
    internal static Span<T> Span<T>(DeviceSlice<T> slice)
        where T : unmanaged =>
        slice.Buffer is null ? default : ((HostBuffer<T>)slice.Buffer).Array.AsSpan(slice.Offset, slice.Length);

    /// <summary>Runs <paramref name="kernel"/> on <paramref name="op"/> now, or keeps it for replay while recording.</summary>
    internal void Queue<TOp>(CpuKernel<TOp> kernel, in TOp op)
        where TOp : struct
    {
        TOp arguments = op;
        Enqueue(() => kernel(this, arguments));
    }

    /// <summary><paramref name="body"/> for 0 ≤ i &lt; <paramref name="count"/>, spread over the device's threads.</summary>
    internal void For(int count, Action<int> body)
    {
        if (Threads == 1 || count <= 1)
        {
            for (int i = 0; i < count; i++)
            {
                body(i);
            }

            return;
        }

        ParallelRegions++;
        Parallel.For(0, count, _parallel, body);
    }

    /// <summary>
    /// <paramref name="body"/>(start, end) for consecutive ranges of at most <paramref name="chunk"/> that cover
    /// [0, <paramref name="length"/>), spread over the device's threads.
    /// </summary>
    internal void ForRanges(int length, int chunk, Action<int, int> body) =>
        For((length / chunk) + (length % chunk == 0 ? 0 : 1), c =>
        {
            int start = c * chunk;
            body(start, start + Math.Min(chunk, length - start));
        });

    private void Enqueue(Action operation)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_recording is not null)
        {
            _recording.Add(operation);
        }
        else
        {
            operation();
        }
    }

    private void ThrowIfRecording(string operation)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
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
