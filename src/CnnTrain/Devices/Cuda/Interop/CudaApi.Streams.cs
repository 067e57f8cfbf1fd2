using System.Runtime.InteropServices;

namespace CnnTrain.Devices.Cuda.Interop;

/// <summary>Streams, stream capture, graphs and events.</summary>
internal static unsafe partial class CudaApi
{
    [LibraryImport(LibraryName)]
    public static partial CuResult cuStreamCreate(out nint stream, uint flags);

    [LibraryImport(LibraryName)]
    public static partial CuResult cuStreamDestroy_v2(nint stream);

    [LibraryImport(LibraryName)]
    public static partial CuResult cuStreamSynchronize(nint stream);

    [LibraryImport(LibraryName)]
    public static partial CuResult cuStreamBeginCapture_v2(nint stream, CuStreamCaptureMode mode);

    [LibraryImport(LibraryName)]
    public static partial CuResult cuStreamEndCapture(nint stream, out nint graph);

    /// <summary>Exported by drivers for CUDA 11.4 and later; older drivers throw <see cref="EntryPointNotFoundException"/>.</summary>
    [LibraryImport(LibraryName)]
    public static partial CuResult cuGraphInstantiateWithFlags(out nint graphExec, nint graph, ulong flags);

    [LibraryImport(LibraryName)]
    public static partial CuResult cuGraphLaunch(nint graphExec, nint stream);

    [LibraryImport(LibraryName)]
    public static partial CuResult cuGraphDestroy(nint graph);

    [LibraryImport(LibraryName)]
    public static partial CuResult cuGraphExecDestroy(nint graphExec);

    [LibraryImport(LibraryName)]
    public static partial CuResult cuEventCreate(out nint @event, uint flags);

    [LibraryImport(LibraryName)]
    public static partial CuResult cuEventDestroy_v2(nint @event);

    [LibraryImport(LibraryName)]
    public static partial CuResult cuEventRecord(nint @event, nint stream);

    [LibraryImport(LibraryName)]
    public static partial CuResult cuEventQuery(nint @event);

    [LibraryImport(LibraryName)]
    public static partial CuResult cuEventSynchronize(nint @event);

    [LibraryImport(LibraryName)]
    public static partial CuResult cuEventElapsedTime(out float milliseconds, nint start, nint end);
}
