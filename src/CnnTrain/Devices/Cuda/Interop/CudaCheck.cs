using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;

namespace CnnTrain.Devices.Cuda.Interop;

/// <summary>Turns failed <see cref="CuResult"/> codes into <see cref="CudaException"/>s.</summary>
internal static class CudaCheck
{
    /// <summary>Throws when <paramref name="result"/> is not <see cref="CuResult.Success"/>.</summary>
    /// <param name="result">What the driver returned.</param>
    /// <param name="operation">The call, e.g. <c>cuMemAlloc_v2</c>; pass a constant so that success costs nothing.</param>
    [StackTraceHidden]
    public static void Check(CuResult result, string operation)
    {
        if (result != CuResult.Success)
        {
            Throw(result, operation);
        }
    }

    /// <summary>Throws the exception for a failed call.</summary>
    [DoesNotReturn]
    [StackTraceHidden]
    public static void Throw(CuResult result, string operation, string? jitLog = null) =>
        throw Create(result, operation, jitLog);

    /// <summary>Creates the exception for a failed call, with the driver's name and description of the code.</summary>
    public static CudaException Create(CuResult result, string operation, string? jitLog = null) =>
        new(operation, (int)result, CudaErrorText.Name(result), CudaErrorText.Description(result), jitLog);
}
