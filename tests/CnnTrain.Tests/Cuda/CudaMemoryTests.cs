using System.Runtime.CompilerServices;
using CnnTrain.Devices.Cuda;
using CnnTrain.Devices.Cuda.Interop;
using FluentAssertions;
using NUnit.Framework;

namespace CnnTrain.Tests.Cuda;

public class CudaMemoryTests : CudaFixture
{
    [Test]
    public void Allocation_is_zero_filled_and_round_trips()
    {
        using var memory = CudaDeviceMemory.Allocate(Context, 1000 * sizeof(float));
        var host = new float[1000];
        Array.Fill(host, float.NaN);

        memory.CopyToHost<float>(host);
        host.Should().OnlyContain(x => x == 0f && !float.IsNegative(x));

        var data = Enumerable.Range(0, 1000).Select(i => (i * 0.25f) - 7f).ToArray();
        memory.CopyFromHost<float>(data);
        memory.CopyToHost<float>(host);
        host.Should().Equal(data);

        var tail = new float[10];
        memory.CopyToHost<float>(tail, 990 * sizeof(float));
        tail.Should().Equal(data[990..]);
    }

    [Test]
    public void Copies_outside_the_allocation_are_rejected()
    {
        using var memory = CudaDeviceMemory.Allocate(Context, 16);

        FluentActions.Invoking(() => memory.CopyToHost<int>(new int[4], 4)).Should().Throw<ArgumentOutOfRangeException>();
        FluentActions.Invoking(() => memory.CopyFromHost<int>(new int[5])).Should().Throw<ArgumentOutOfRangeException>();
    }

    [Test]
    public void An_empty_allocation_has_a_null_pointer_and_counts_nothing()
    {
        using var memory = CudaDeviceMemory.Allocate(Context, 0);

        memory.Pointer.Should().Be(0UL);
        memory.Bytes.Should().Be(0UL);
        Context.LiveAllocations.Should().Be(0);
    }

    [Test]
    public void Live_allocation_count_returns_to_zero_after_dispose()
    {
        int before = CudaMemoryHandle.LiveCount;
        var allocations = Enumerable.Range(1, 3).Select(i => CudaDeviceMemory.Allocate(Context, (ulong)i * 4096)).ToList();

        Context.LiveAllocations.Should().Be(3);
        CudaMemoryHandle.LiveCount.Should().Be(before + 3);

        allocations.ForEach(m => m.Dispose());
        allocations[0].Dispose();

        Context.LiveAllocations.Should().Be(0);
        CudaMemoryHandle.LiveCount.Should().Be(before);
        FluentActions.Invoking(() => allocations[0].Pointer).Should().Throw<ObjectDisposedException>();
    }

    [Test]
    public void The_finalizer_frees_an_allocation_that_was_not_disposed()
    {
        AllocateAndDrop(Context);
        for (int i = 0; i < 5 && Context.LiveAllocations > 0; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }

        Context.LiveAllocations.Should().Be(0);
        Context.MakeCurrent();
        Context.Synchronize();
    }

    [Test]
    public void Disposing_the_context_first_keeps_it_alive_until_its_memory_is_freed()
    {
        var context = new CudaContext(0);
        var memory = CudaDeviceMemory.Allocate(context, 256);

        context.Dispose();
        context.Handle.IsClosed.Should().BeFalse("the allocation still holds a reference to the context");
        context.LiveAllocations.Should().Be(1);

        memory.Dispose();
        context.LiveAllocations.Should().Be(0);
        context.Handle.IsClosed.Should().BeTrue("the last reference is gone, so the context is destroyed");
    }

    [Test]
    public void An_impossible_allocation_throws_out_of_memory()
    {
        var e = FluentActions.Invoking(() => CudaDeviceMemory.Allocate(Context, 1UL << 60))
            .Should().Throw<CudaException>().Which;

        e.ErrorName.Should().BeOneOf("CUDA_ERROR_OUT_OF_MEMORY", "CUDA_ERROR_INVALID_VALUE");
        e.Operation.Should().StartWith("cuMemAlloc_v2");
        Context.LiveAllocations.Should().Be(0);
    }

    [Test]
    public void Stream_copies_and_fills_through_pinned_memory()
    {
        const int Count = 1024;
        using var stream = new CudaStream(Context);
        using var upload = PinnedHostMemory.Allocate(Context, Count * sizeof(int));
        using var download = PinnedHostMemory.Allocate(Context, Count * sizeof(int));
        using var first = CudaDeviceMemory.Allocate(Context, Count * sizeof(int));
        using var second = CudaDeviceMemory.Allocate(Context, Count * sizeof(int));
        var source = upload.AsSpan<int>();
        for (int i = 0; i < Count; i++)
        {
            source[i] = i * 3;
        }

        stream.CopyHostToDevice(upload.Pointer, first.Pointer, upload.Bytes);
        stream.Memset32(first.Pointer + (100 * sizeof(int)), BitConverter.SingleToUInt32Bits(-1.5f), 50);
        stream.CopyDeviceToDevice(first.Pointer, second.Pointer, first.Bytes);
        stream.CopyDeviceToHost(second.Pointer, download.Pointer, second.Bytes);
        stream.Synchronize();

        var result = download.AsSpan<int>();
        for (int i = 0; i < Count; i++)
        {
            int expected = i is >= 100 and < 150 ? BitConverter.SingleToInt32Bits(-1.5f) : i * 3;
            result[i].Should().Be(expected, $"element {i}");
        }
    }

    [Test]
    public void Memory_info_reports_free_within_total()
    {
        var (free, total) = Context.MemoryInfo;

        total.Should().BePositive();
        free.Should().BeLessThanOrEqualTo(total);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void AllocateAndDrop(CudaContext context) => _ = CudaDeviceMemory.Allocate(context, 4096);
}
