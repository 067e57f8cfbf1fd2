using CnnTrain.Devices.Cuda.Interop;
using FluentAssertions;
using NUnit.Framework;

namespace CnnTrain.Tests.Cuda;

public class CudaGraphTests : CudaFixture
{
    [Test]
    public void Captured_launches_run_only_when_the_graph_is_launched()
    {
        const int Count = 300;
        using var module = LoadTestKernels();
        var kernel = module.GetKernel("add_one");
        using var stream = new CudaStream(Context);
        using var memory = CudaDeviceMemory.Allocate(Context, Count * sizeof(float));
        var result = new float[Count];

        stream.BeginCapture();
        for (int i = 0; i < 3; i++)
        {
            LaunchAddOne(kernel, stream, memory.Pointer, Count);
        }

        using var graph = stream.EndCapture();
        stream.Synchronize();
        memory.CopyToHost<float>(result);
        result.Should().OnlyContain(x => x == 0f, "capturing records the launches without running them");

        using var exec = graph.Instantiate();
        graph.Dispose();
        exec.Launch(stream);
        exec.Launch(stream);
        stream.Synchronize();

        memory.CopyToHost<float>(result);
        result.Should().OnlyContain(x => x == 6f);
    }

    [Test]
    public void A_synchronous_call_during_capture_invalidates_it()
    {
        using var stream = new CudaStream(Context);

        stream.BeginCapture();
        var failed = FluentActions.Invoking(() => stream.Synchronize()).Should().Throw<CnnTrain.Devices.Cuda.CudaException>().Which;
        var ended = FluentActions.Invoking(() => stream.EndCapture()).Should().Throw<CnnTrain.Devices.Cuda.CudaException>().Which;

        TestContext.Out.WriteLine(failed.Message);
        TestContext.Out.WriteLine(ended.Message);
        failed.ErrorName.Should().StartWith("CUDA_ERROR_STREAM_CAPTURE");
        ended.ErrorName.Should().StartWith("CUDA_ERROR_STREAM_CAPTURE");
    }
}
