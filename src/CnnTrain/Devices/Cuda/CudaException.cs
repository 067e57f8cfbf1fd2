using System.Text;

namespace CnnTrain.Devices.Cuda;

/// <summary>
/// A CUDA driver call failed. Carries the driver's error code and name, the call (or kernel launch) that
/// failed, and, when the driver rejected PTX, the JIT compiler's error log.
/// </summary>
public sealed class CudaException : Exception
{
    private const int UnknownErrorCode = 999;
    private const string UnknownErrorName = "CUDA_ERROR_UNKNOWN";
    private const string UnknownOperation = "(unknown operation)";

    /// <summary>Creates the exception for a failed driver call.</summary>
    /// <param name="operation">The call or kernel that failed, e.g. <c>cuLaunchKernel(conv2d_forward)</c>.</param>
    /// <param name="errorCode">The driver's <c>CUresult</c> code.</param>
    /// <param name="errorName">The code's name, e.g. <c>CUDA_ERROR_INVALID_PTX</c>.</param>
    /// <param name="description">The driver's description of the code, or null when it has none.</param>
    /// <param name="jitLog">The JIT compiler's error log, or null when no PTX was compiled.</param>
    public CudaException(string operation, int errorCode, string errorName, string? description, string? jitLog)
        : base(FormatMessage(operation, errorName, description, jitLog))
    {
        ArgumentException.ThrowIfNullOrEmpty(operation);
        ArgumentException.ThrowIfNullOrEmpty(errorName);
        Operation = operation;
        ErrorCode = errorCode;
        ErrorName = errorName;
        JitLog = string.IsNullOrWhiteSpace(jitLog) ? null : jitLog;
    }

    /// <summary>Creates the exception with a generic message and an unknown error.</summary>
    public CudaException()
        : this("A CUDA driver call failed.")
    {
    }

    /// <summary>Creates the exception with a message only; the error is reported as unknown.</summary>
    /// <param name="message">The message.</param>
    public CudaException(string message)
        : base(message)
    {
        Operation = UnknownOperation;
        ErrorCode = UnknownErrorCode;
        ErrorName = UnknownErrorName;
    }

    /// <summary>Creates the exception with a message and the exception that caused it; the error is reported as unknown.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public CudaException(string message, Exception innerException)
        : base(message, innerException)
    {
        Operation = UnknownOperation;
        ErrorCode = UnknownErrorCode;
        ErrorName = UnknownErrorName;
    }

    /// <summary>The driver's <c>CUresult</c> code, e.g. 218 for <c>CUDA_ERROR_INVALID_PTX</c>.</summary>
    public int ErrorCode { get; }

    /// <summary>The name of <see cref="ErrorCode"/>, e.g. <c>CUDA_ERROR_NO_DEVICE</c>.</summary>
    public string ErrorName { get; }

    /// <summary>The driver call or kernel launch that failed, e.g. <c>cuLaunchKernel(conv2d_forward)</c>.</summary>
    public string Operation { get; }

    /// <summary>The JIT compiler's error log when the driver rejected PTX; otherwise null.</summary>
    public string? JitLog { get; }

    private static string FormatMessage(string operation, string errorName, string? description, string? jitLog)
    {
        var message = new StringBuilder();
        message.Append(operation).Append(" failed: ").Append(errorName);
        if (!string.IsNullOrWhiteSpace(description))
        {
            message.Append(" (").Append(description).Append(')');
        }

        message.Append('.');
        if (!string.IsNullOrWhiteSpace(jitLog))
        {
            message.Append(" JIT log: ").Append(jitLog.Trim());
        }

        return message.ToString();
    }
}
