using CnnTrain.Devices.Cuda;
using CnnTrain.Devices.Cuda.Interop;
using FluentAssertions;
using NUnit.Framework;

namespace CnnTrain.Tests.Cuda;

public class CudaModuleTests : CudaFixture
{
    [Test]
    public void Add_one_adds_one_to_every_element()
    {
        const int Count = 1000;
        using var module = LoadTestKernels();
        TestContext.Out.WriteLine(module.InfoLog);
        var kernel = module.GetKernel("add_one");
        using var stream = new CudaStream(Context);
        using var memory = CudaDeviceMemory.Allocate(Context, Count * sizeof(float));
        var data = Enumerable.Range(0, Count).Select(i => i * 0.5f).ToArray();
        memory.CopyFromHost<float>(data);

        LaunchAddOne(kernel, stream, memory.Pointer, Count);
        stream.Synchronize();

        var result = new float[Count];
        memory.CopyToHost<float>(result);
        result.Should().Equal(data.Select(x => x + 1f));
    }

    [Test]
    public void Every_argument_width_arrives_intact()
    {
        using var module = LoadTestKernels();
        var kernel = module.GetKernel("echo_arguments");
        using var stream = new CudaStream(Context);
        using var output = CudaDeviceMemory.Allocate(Context, 6 * sizeof(long));

        Span<byte> values = stackalloc byte[64];
        Span<nint> slots = stackalloc nint[7];
        var arguments = new KernelArguments(values, slots);
        arguments.Add(output.Pointer);
        arguments.Add((sbyte)-5);
        arguments.Add((short)-1234);
        arguments.Add(123456789);
        arguments.Add(Math.PI);
        arguments.Add(long.MinValue + 7);
        arguments.Add(1.25f);
        kernel.Launch(stream, (1, 1, 1), (32, 1, 1), 0, ref arguments);
        stream.Synchronize();

        var echoed = new long[6];
        output.CopyToHost<long>(echoed);
        echoed.Should().Equal(-5L, -1234L, 123456789L, BitConverter.DoubleToInt64Bits(Math.PI), long.MinValue + 7, BitConverter.SingleToInt32Bits(1.25f));
    }

    [Test]
    public void Broken_ptx_throws_with_the_jit_log()
    {
        var e = FluentActions.Invoking(() => CudaModule.Load(Context, TestKernels.BrokenPtx))
            .Should().Throw<CudaException>().Which;

        TestContext.Out.WriteLine(e.Message);
        e.ErrorName.Should().Be("CUDA_ERROR_INVALID_PTX");
        e.Operation.Should().Be("cuModuleLoadDataEx");
        e.JitLog.Should().NotBeNullOrWhiteSpace();
        e.Message.Should().Contain("JIT log:");
    }

    [Test]
    public void An_unknown_kernel_name_throws_not_found()
    {
        using var module = LoadTestKernels();

        var e = FluentActions.Invoking(() => module.GetKernel("no_such_kernel")).Should().Throw<CudaException>().Which;

        e.ErrorName.Should().Be("CUDA_ERROR_NOT_FOUND");
        e.Operation.Should().Be("cuModuleGetFunction(no_such_kernel)");
    }

    [Test]
    public void A_rejected_launch_names_the_kernel()
    {
        using var module = LoadTestKernels();
        var kernel = module.GetKernel("add_one");
        using var stream = new CudaStream(Context);

        var e = FluentActions.Invoking(() =>
        {
            Span<byte> values = stackalloc byte[16];
            Span<nint> slots = stackalloc nint[2];
            var arguments = new KernelArguments(values, slots);
            arguments.Add(0UL);
            arguments.Add(0);
            kernel.Launch(stream, (1, 1, 1), (4096, 1, 1), 0, ref arguments);
        }).Should().Throw<CudaException>().Which;

        e.ErrorName.Should().Be("CUDA_ERROR_INVALID_VALUE");
        e.Operation.Should().Be("cuLaunchKernel(add_one)");
    }

    [Test]
    public void Launches_allocate_nothing_on_the_managed_heap()
    {
        const int Count = 256;
        using var module = LoadTestKernels();
        var kernel = module.GetKernel("add_one");
        using var stream = new CudaStream(Context);
        using var memory = CudaDeviceMemory.Allocate(Context, Count * sizeof(float));
        for (int i = 0; i < 100; i++)
        {
            LaunchAddOne(kernel, stream, memory.Pointer, Count);
        }

        stream.Synchronize();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++)
        {
            LaunchAddOne(kernel, stream, memory.Pointer, Count);
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        stream.Synchronize();

        allocated.Should().Be(0);
        var result = new float[Count];
        memory.CopyToHost<float>(result);
        result.Should().OnlyContain(x => x == 1100f);
    }

    [Test]
    public void A_disposed_module_cannot_launch()
    {
        var module = LoadTestKernels();
        var kernel = module.GetKernel("add_one");
        using var stream = new CudaStream(Context);
        module.Dispose();

        FluentActions.Invoking(() => LaunchAddOne(kernel, stream, 0, 0)).Should().Throw<ObjectDisposedException>();
    }
}
