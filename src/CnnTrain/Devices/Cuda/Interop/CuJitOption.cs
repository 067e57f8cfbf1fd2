namespace CnnTrain.Devices.Cuda.Interop;

/// <summary>The <c>CUjit_option</c> values this layer passes to <c>cuModuleLoadDataEx</c>.</summary>
internal enum CuJitOption
{
    /// <summary>Option value: a <c>char*</c> buffer for informational messages.</summary>
    InfoLogBuffer = 3,

    /// <summary>Option value: the info buffer's size in bytes, including the terminator.</summary>
    InfoLogBufferSizeBytes = 4,

    /// <summary>Option value: a <c>char*</c> buffer for error messages.</summary>
    ErrorLogBuffer = 5,

    /// <summary>Option value: the error buffer's size in bytes, including the terminator.</summary>
    ErrorLogBufferSizeBytes = 6,

    /// <summary>Option value: 1 for verbose logs (register and spill counts per kernel).</summary>
    LogVerbose = 12,
}
