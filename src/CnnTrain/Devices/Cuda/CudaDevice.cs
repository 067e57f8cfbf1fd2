using System.Runtime.CompilerServices;
using CnnTrain.Devices.Cuda.Interop;
using CnnTrain.Ops;

namespace CnnTrain.Devices.Cuda;

/// <summary>
/// An NVIDIA GPU through the CUDA driver API: hand-written kernels (kernels/*.cu, embedded as PTX), one
/// context and one stream per device object. Operations queue kernels and return at once; recorded programs
/// are CUDA graphs; only <see cref="Download{T}"/>, <see cref="Synchronize"/> and waiting on a marker make
/// the host wait. Needs only the NVIDIA driver (CUDA 11.8 or newer); not thread-safe.
/// </summary>
public sealed class CudaDevice : IComputeDevice
{
    private const int ArgumentBytes = 1024;
    private const int ArgumentSlots = 32;

    [ThreadStatic]
    private static CudaDevice? t_current;

    private readonly CudaContext _context;
    private readonly CudaStream _stream;
    private readonly CudaModules _kernels;
    private readonly MemoryCounter _memory = new();
    private readonly byte[] _argumentBytes = new byte[ArgumentBytes];
    private readonly nint[] _argumentSlots = new nint[ArgumentSlots];
    private int _recordedOperations = -1;
    private bool _disposed;

    /// <summary>Opens the GPU with ordinal <paramref name="deviceOrdinal"/> and loads the kernels.</summary>
    /// <exception cref="NotSupportedException">The NVIDIA driver library is not installed.</exception>
    /// <exception cref="CudaException">The driver reports an error: no device, the PTX rejected, out of memory.</exception>
    /// <exception cref="ArgumentOutOfRangeException">There is no GPU with that ordinal.</exception>
    public CudaDevice(int deviceOrdinal = 0)
    {
        CudaDriver.Initialize();
        int count = CudaDriver.DeviceCount;
        if (deviceOrdinal < 0 || deviceOrdinal >= count)
        {
            throw new ArgumentOutOfRangeException(nameof(deviceOrdinal), deviceOrdinal, $"This machine has {count} CUDA device(s).");
        }

        DeviceOrdinal = deviceOrdinal;
        DeviceName = CudaDriver.DeviceName(deviceOrdinal);
        ComputeCapability = CudaDriver.ComputeCapability(deviceOrdinal);
        _context = new CudaContext(deviceOrdinal);
        try
        {
            MakeCurrent();
            _stream = new CudaStream(_context);
            _kernels = new CudaModules(_context);
        }
        catch
        {
            _stream?.Dispose();
            _context.Dispose();
            throw;
        }
    }

    /// <summary>Whether a CUDA device can be opened here; when not, <paramref name="reason"/> says why.</summary>
    public static bool IsAvailable(out string reason) => CudaDriver.TryInitialize(out reason);

    /// <inheritdoc />
    public string Name => $"cuda ({DeviceName}, compute {ComputeCapability.Major}.{ComputeCapability.Minor})";

    /// <summary>The GPU's ordinal.</summary>
    public int DeviceOrdinal { get; }

    /// <summary>The GPU's name, e.g. "NVIDIA H100 80GB HBM3".</summary>
    public string DeviceName { get; }

    /// <summary>The GPU's compute capability.</summary>
    public (int Major, int Minor) ComputeCapability { get; }

    /// <inheritdoc />
    public long AllocatedBytes => _memory.Allocated;

    /// <inheritdoc />
    public long PeakAllocatedBytes => _memory.Peak;

    /// <inheritdoc />
    public void ResetPeakAllocatedBytes() => _memory.ResetPeak();

    /// <summary>Device allocations of this device not yet released (buffers not disposed).</summary>
    public int LiveAllocations => _context.LiveAllocations;

    /// <inheritdoc />
    public DeviceBuffer<T> Allocate<T>(int length)
        where T : unmanaged
    {
        Enter();
        ThrowIfRecording(nameof(Allocate));
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        return new CudaBuffer<T>(this, _context, _memory, length);
    }

    /// <inheritdoc />
    public unsafe void Upload<T>(ReadOnlySpan<T> source, DeviceSlice<T> destination)
        where T : unmanaged
    {
        Enter();
        ThrowIfRecording(nameof(Upload));
        SliceChecks.Slice(this, destination, source.Length, nameof(destination));
        SliceChecks.TrackUpload(source, destination);
        if (source.IsEmpty)
        {
            return;
        }

        // From pageable memory the driver stages the data before it returns, so the span may go right after.
        fixed (T* pointer = source)
        {
            _stream.CopyHostToDevice((nint)pointer, Address(destination), Bytes<T>(source.Length));
        }
    }

    /// <inheritdoc />
    public unsafe void Download<T>(DeviceSlice<T> source, Span<T> destination)
        where T : unmanaged
    {
        Enter();
        ThrowIfRecording(nameof(Download));
        SliceChecks.Owned(this, source, nameof(source));
        SliceChecks.SameLength(source.Length, destination.Length, nameof(destination));
        if (destination.IsEmpty)
        {
            return;
        }

        fixed (T* pointer = destination)
        {
            _stream.CopyDeviceToHost(Address(source), (nint)pointer, Bytes<T>(destination.Length));
            _stream.Synchronize();
        }
    }

    /// <inheritdoc />
    public void Copy<T>(DeviceSlice<T> source, DeviceSlice<T> destination)
        where T : unmanaged
    {
        Enter();
        SliceChecks.Owned(this, source, nameof(source));
        SliceChecks.Slice(this, destination, source.Length, nameof(destination));
        SliceChecks.TrackCopy(source, destination);
        if (source.Length > 0)
        {
            _stream.CopyDeviceToDevice(Address(source), Address(destination), Bytes<T>(source.Length));
            Counted();
        }
    }

    /// <inheritdoc />
    public void Fill(float value, DeviceSlice<float> destination)
    {
        Enter();
        SliceChecks.Owned(this, destination, nameof(destination));
        if (destination.Length > 0)
        {
            _stream.Memset32(Address(destination), BitConverter.SingleToUInt32Bits(value), (ulong)destination.Length);
            Counted();
        }
    }

    /// <inheritdoc />
    public IDeviceProgram Record(Action work)
    {
        ArgumentNullException.ThrowIfNull(work);
        Enter();
        ThrowIfRecording(nameof(Record));
        _stream.BeginCapture();
        _recordedOperations = 0;
        CudaGraph graph;
        try
        {
            work();
        }
        catch
        {
            _recordedOperations = -1;
            try
            {
                _stream.EndCapture().Dispose();
            }
            catch (CudaException)
            {
                // The capture is already invalid; the exception from the work is the one to report.
            }

            throw;
        }

        int operations = _recordedOperations;
        _recordedOperations = -1;
        graph = _stream.EndCapture();
        try
        {
            return new CudaProgram(this, graph, graph.Instantiate(), operations);
        }
        catch
        {
            graph.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    public IDeviceMarker Mark()
    {
        Enter();
        ThrowIfRecording(nameof(Mark));
        var marker = new CudaEvent(_context, timing: false);
        marker.Record(_stream);
        return new CudaMarker(marker);
    }

    /// <inheritdoc />
    public void Synchronize()
    {
        Enter();
        ThrowIfRecording(nameof(Synchronize));
        _stream.Synchronize();
    }

    /// <summary>Releases the kernels, the stream and the context (once the last buffer is released too).</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (t_current == this)
        {
            t_current = null;
        }

        _kernels.Dispose();
        _stream.Dispose();
        _context.Dispose();
    }

    internal void Launch(CudaGraphExec program)
    {
        Enter();
        ThrowIfRecording("Run");
        program.Launch(_stream);
    }

    /// <summary>The device address of a slice's first element; 0 for the empty slice (a kernel's "not wanted").</summary>
    internal static ulong Address<T>(DeviceSlice<T> slice)
        where T : unmanaged => slice.Buffer is null ? 0 : ((CudaBuffer<T>)slice.Buffer).Address(slice.Offset);

    /// <summary>Runs an operation's launcher with this device current on the calling thread.</summary>
    internal void Queue<TOp>(CudaLauncher<TOp> launcher, in TOp op)
        where TOp : struct
    {
        Enter();
        launcher(this, op);
    }

    /// <summary>
    /// An empty argument list over storage the device reuses for every launch (launches are queued from one
    /// thread, and each copies its arguments before it returns), so a launch allocates nothing.
    /// </summary>
    internal KernelArguments Arguments() => new(_argumentBytes, _argumentSlots);

    /// <summary>Queues <paramref name="kernel"/> on the device's stream (or into the program being recorded).</summary>
    internal void Launch(
        CudaKernelName kernel, (uint X, uint Y, uint Z) grid, (uint X, uint Y, uint Z) block, scoped ref KernelArguments args, uint sharedBytes = 0)
    {
        _kernels.Get(kernel).Launch(_stream, grid, block, sharedBytes, ref args);
        Counted();
    }

    private static ulong Bytes<T>(int count)
        where T : unmanaged => (ulong)count * (ulong)Unsafe.SizeOf<T>();

    private void Enter()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (t_current != this)
        {
            MakeCurrent();
        }
    }

    private void MakeCurrent()
    {
        _context.MakeCurrent();
        t_current = this;
    }

    private void ThrowIfRecording(string operation)
    {
        if (_recordedOperations >= 0)
        {
            throw new InvalidOperationException($"{operation} cannot be called while a program is being recorded.");
        }
    }

    private void Counted()
    {
        if (_recordedOperations >= 0)
        {
            _recordedOperations++;
        }
    }
}
