using CnnTrain.Devices.Cuda.Interop;
using NUnit.Framework;
using NUnit.Framework.Interfaces;
using NUnit.Framework.Internal;

namespace CnnTrain.Tests.Cuda;

/// <summary>Skips, with the driver's reason, tests that need a CUDA device when there is none.</summary>
internal static class CudaTestEnvironment
{
    private static readonly Lazy<string?> Reason = new(() => CudaDriver.TryInitialize(out var reason) ? null : $"Needs a CUDA device: {reason}");

    /// <summary>Why CUDA tests cannot run here; null where a device can be used.</summary>
    public static string? Unavailable => Reason.Value;

    /// <summary>
    /// Skips the calling test (or fixture) when there is no device. A test that gets here unmarked fails instead, so
    /// that every CUDA test is counted in <see cref="CudaTestsWithoutAGpu"/> rather than reported alone.
    /// </summary>
    public static void RequireDevice()
    {
        if (Unavailable is not string reason)
        {
            return;
        }

        ITest current = TestExecutionContext.CurrentContext.CurrentTest;
        if (!RequiresCudaAttribute.Marks(current))
        {
            Assert.Fail($"{current.FullName} needs a CUDA device but is not marked [RequiresCuda]; mark it (or its fixture) so that it is counted with the others. {reason}");
        }

        Assert.Ignore(reason);
    }
}
