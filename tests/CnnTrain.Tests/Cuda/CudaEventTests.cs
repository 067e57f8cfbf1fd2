using CnnTrain.Devices.Cuda.Interop;
using FluentAssertions;
using NUnit.Framework;

namespace CnnTrain.Tests.Cuda;

public class CudaEventTests : CudaFixture
{
    [Test]
    public void An_event_completes_after_the_work_queued_before_it()
    {
        const int Count = 1 << 20;
        using var module = LoadTestKernels();
        var kernel = module.GetKernel("add_one");
        using var stream = new CudaStream(Context);
        using var memory = CudaDeviceMemory.Allocate(Context, Count * sizeof(float));
        using var start = new CudaEvent(Context);
        using var end = new CudaEvent(Context);

        start.Record(stream);
        for (int i = 0; i < 20; i++)
        {
            LaunchAddOne(kernel, stream, memory.Pointer, Count);
        }

        end.Record(stream);
        TestContext.Out.WriteLine($"Completed right after queueing: {end.IsCompleted}");
        end.Synchronize();

        end.IsCompleted.Should().BeTrue();
        start.IsCompleted.Should().BeTrue();
        float milliseconds = CudaEvent.ElapsedMilliseconds(start, end);
        TestContext.Out.WriteLine($"20 launches over {Count} floats: {milliseconds} ms");
        milliseconds.Should().BeGreaterThanOrEqualTo(0f);
        var sample = new float[4];
        memory.CopyToHost<float>(sample, (Count - 4) * sizeof(float));
        sample.Should().OnlyContain(x => x == 20f);
    }

    [Test]
    public void An_event_never_recorded_counts_as_completed()
    {
        using var marker = new CudaEvent(Context, timing: false);

        marker.IsCompleted.Should().BeTrue();
    }
}
