using CnnTrain.Devices;
using CnnTrain.Devices.Multicore;
using CnnTrain.Numerics;
using CnnTrain.Ops;
using CnnTrain.Optimizers;
using CnnTrain.Tests.Support;
using FluentAssertions;
using NUnit.Framework;

namespace CnnTrain.Tests.Devices;

[TestFixture(1)]
[TestFixture(2)]
[TestFixture(3)]
[TestFixture(7)]
public sealed class MulticoreDeviceTests(int threads) : DeviceContract
{
    /// <summary>What the TPL's Parallel.For allocates itself per region, with room (about 2 KB measured).</summary>
    private const int BytesPerRegion = 3072;

    /// <summary>What queuing an operation allocates whatever its size: the queued closure and the region's body.</summary>
    private const int FixedBytes = 2048;

    protected override IComputeDevice CreateDevice() => new MulticoreDevice(threads);

    [TestCase("sgd")]
    [TestCase("adamw")]
    public void Update_RunsOneParallelRegionForAllItsTensors(string name)
    {
        using var device = new MulticoreDevice(threads);
        using var h = new DeviceHost(device);
        Optimizer optimizer = name == "sgd" ? new Sgd(0.9f) : new AdamW();
        UpdateTensor[] tensors =
        [.. Enumerable.Range(0, 3).Select(i => new UpdateTensor(
            h.Put(TestData.Uniform(i, 5000)), h.Put(TestData.Uniform(10 + i, 5000 * 3)), BatchPartials.PerChunkOf(40),
            [.. Enumerable.Range(0, optimizer.StateTensors).Select(_ => h.Floats(5000, 0f).All)]))];
        var scalars = h.Put(name == "sgd" ? [0.05f] : [0.01f, 31.6f, 0.9999f]);
        optimizer.Update(device, tensors, scalars);

        long before = device.ParallelRegions;
        long allocated = Allocations.Measure(() => optimizer.Update(device, tensors, scalars));

        // Three tensors of two ranges each: one region over all six ranges (it was one per tensor), and no buffer per call.
        (device.ParallelRegions - before).Should().Be(threads == 1 ? 0 : 1);
        allocated.Should().BeLessThan(FixedBytes + (BytesPerRegion * (device.ParallelRegions - before)));
    }

    [Test]
    public void Dense_RunsOneRegionForwardAndOneBackwardAndAllocatesNoBuffers()
    {
        var d = new DenseDescriptor(1031, 130, Activation.Relu);
        const int Batch = 33;
        using var device = new MulticoreDevice(threads);
        using var h = new DeviceHost(device);
        var x = h.Put(TestData.Uniform(1, Batch * d.Inputs));
        var w = h.Put(TestData.Uniform(2, d.WeightCount, 0.1f));
        var y = h.Floats(Batch * d.Outputs);
        var forward = new DenseForward(d, Batch, x, w, h.Put(TestData.Uniform(3, d.Outputs)), y);
        var backward = new DenseBackward(
            d, Batch, x, w, y, h.Put(TestData.Uniform(4, Batch * d.Outputs)), h.Floats(BatchTree.Chunks(Batch) * d.WeightCount),
            h.Floats(BatchTree.Chunks(Batch) * d.Outputs), h.Floats(Batch * d.Inputs));
        forward.Run(device);
        backward.Run(device);

        long start = device.ParallelRegions;
        long allocated = Allocations.Measure(() => forward.Run(device));
        long afterForward = device.ParallelRegions;
        allocated += Allocations.Measure(() => backward.Run(device));

        (afterForward - start).Should().Be(threads == 1 ? 0 : 1);
        (device.ParallelRegions - afterForward).Should().Be(threads == 1 ? 0 : 1);

        // The masked gradient alone would be 33 x 130 floats (17 KB): the backward tiles read it through the mask instead.
        allocated.Should().BeLessThan(FixedBytes + (BytesPerRegion * (device.ParallelRegions - start)));
    }
}
