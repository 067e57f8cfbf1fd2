namespace CnnTrain.Devices.Cuda.Interop;

/// <summary>
/// <c>CUstreamCaptureMode</c>: which threads may not make unsafe calls (such as a synchronous copy or an
/// allocation) while a stream is being captured into a graph.
/// </summary>
internal enum CuStreamCaptureMode
{
    /// <summary>No thread of the process may make unsafe calls while any global-mode capture runs.</summary>
    Global = 0,

    /// <summary>Only the capturing thread is checked: the usual choice when one thread owns the device.</summary>
    ThreadLocal = 1,

    /// <summary>No thread is checked.</summary>
    Relaxed = 2,
}
