using CnnTrain.Devices.Cuda.Interop;
using NUnit.Framework;

namespace CnnTrain.Tests.Cuda;

/// <summary>
/// Base of the tests that need a GPU: each test gets a fresh context on device 0, current on the test's
/// thread, or is skipped with the reason when no device can be used.
/// </summary>
[RequiresCuda]
public abstract class CudaFixture
{
    private CudaContext? _context;

    internal CudaContext Context => _context ?? throw new InvalidOperationException("The test has no CUDA context.");

    [SetUp]
    public void CreateContext()
    {
        CudaTestEnvironment.RequireDevice();
        _context = new CudaContext(0);
    }

    [TearDown]
    public void DisposeContext()
    {
        _context?.Dispose();
        _context = null;
    }

    internal CudaModule LoadTestKernels() => CudaModule.Load(Context, TestKernels.Ptx);

    /// <summary>Queues add_one on <paramref name="count"/> floats; builds its arguments on the stack like production code.</summary>
    internal static void LaunchAddOne(CudaKernel kernel, CudaStream stream, ulong data, int count)
    {
        Span<byte> values = stackalloc byte[16];
        Span<nint> slots = stackalloc nint[2];
        var arguments = new KernelArguments(values, slots);
        arguments.Add(data);
        arguments.Add(count);
        kernel.Launch(stream, ((uint)((count + 255) / 256), 1, 1), (256, 1, 1), 0, ref arguments);
    }
}
