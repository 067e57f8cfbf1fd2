using CnnTrain.Devices;
using CnnTrain.Devices.Sequential;
using CnnTrain.Numerics;
using CnnTrain.Ops;
using CnnTrain.Optimizers;
using CnnTrain.Tests.Support;
using FluentAssertions;
using NUnit.Framework;

namespace CnnTrain.Tests.Devices;

/// <summary>
/// Sums over the batch on every device (docs/numerics.md, "Sums over the batch"): the dense backward pass writes one
/// partial per chunk of 16 samples, and the updates join chunks in the fixed tree, whatever the partial count.
/// </summary>
public abstract partial class DeviceContract
{
    [TestCase(17)]
    [TestCase(40)]
    [TestCase(100)]
    public void DenseBackward_ChunkPartialIsTheGradientOfItsChunkAlone(int batch)
    {
        foreach (DenseDescriptor d in new[] { new DenseDescriptor(75, 10, Activation.Relu), new DenseDescriptor(19, 33) })
        {
            float[] x = TestData.Uniform(60, batch * d.Inputs);
            float[] y = TestData.Uniform(61, batch * d.Outputs);
            float[] dy = TestData.Uniform(62, batch * d.Outputs);
            float[] w = TestData.Uniform(63, d.WeightCount);
            (float[] dw, float[] db) = DenseGradients(d, batch, x, y, dy, w);
            for (int j = 0; j < BatchTree.Chunks(batch); j++)
            {
                (int n0, int n1) = BatchTree.Samples(j, batch);
                (float[] alone, float[] aloneBias) = DenseGradients(
                    d, n1 - n0, x[(n0 * d.Inputs)..(n1 * d.Inputs)], y[(n0 * d.Outputs)..(n1 * d.Outputs)], dy[(n0 * d.Outputs)..(n1 * d.Outputs)], w);
                Bits.AssertEqual(alone, dw[(j * d.WeightCount)..((j + 1) * d.WeightCount)], $"dW of chunk {j}, {d.Inputs}->{d.Outputs}");
                Bits.AssertEqual(aloneBias, db[(j * d.Outputs)..((j + 1) * d.Outputs)], $"db of chunk {j}, {d.Inputs}->{d.Outputs}");
            }
        }
    }

    public enum PartialKind
    {
        /// <summary>One partial per chunk (a dense layer's).</summary>
        ChunkPartials,

        /// <summary>16 per-sample partials to every chunk.</summary>
        FullChunksOfSamples,

        /// <summary>Per-sample partials whose last chunk holds 11.</summary>
        ShortLastChunk,
    }

    /// <summary>Every partial count from 1 to 40, of per-sample partials (16 to a chunk) and of chunk partials, against the reference.</summary>
    [Test]
    public void Updates_MatchReferenceForEveryPartialCount([Range(1, 40)] int count, [Values(1, BatchTree.BatchChunk)] int perChunk) =>
        Outputs.AssertSame(UpdateBothOptimizers(new SequentialDevice(), new BatchPartials(count, perChunk)), UpdateBothOptimizers(Device, new BatchPartials(count, perChunk)));

    /// <summary>Every chunk count from 1 to 40 (odd ones, powers of two and their neighbours), against the reference.</summary>
    [Test]
    public void Updates_MatchReferenceForEveryChunkCount([Range(1, 40)] int chunks, [Values] PartialKind kind)
    {
        BatchPartials partials = kind switch
        {
            PartialKind.ChunkPartials => new BatchPartials(chunks, 1),
            PartialKind.FullChunksOfSamples => BatchPartials.PerSample(chunks * BatchTree.BatchChunk),
            _ => BatchPartials.PerSample((chunks * BatchTree.BatchChunk) - 5),
        };
        partials.Chunks.Should().Be(chunks);
        Outputs.AssertSame(UpdateBothOptimizers(new SequentialDevice(), partials), UpdateBothOptimizers(Device, partials));
    }

    /// <summary>
    /// Tensors the GPU reduces a thread per element (8192 elements and more), and trees deeper than its shallow
    /// variant's stack (256 chunks and more), each way a tensor's partials come.
    /// </summary>
    [TestCase(8192, 300, BatchTree.BatchChunk)]
    [TestCase(8195, 7, 1)]
    [TestCase(8192, 260, 1)]
    [TestCase(70, (260 * BatchTree.BatchChunk) - 3, BatchTree.BatchChunk)]
    [TestCase(70, 300, 1)]
    public void Updates_MatchReferenceOnWideTensorsAndDeepTrees(int length, int count, int perChunk) =>
        Outputs.AssertSame(
            UpdateBothOptimizers(new SequentialDevice(), new BatchPartials(count, perChunk), length),
            UpdateBothOptimizers(Device, new BatchPartials(count, perChunk), length));

    /// <summary>One SGD and one Adam step of a 70-element tensor (by default): two full blocks of 32 and a short one on the GPU, eight-lane vectors and a tail on the CPU.</summary>
    private static Outputs UpdateBothOptimizers(IComputeDevice device, BatchPartials partials, int length = 70)
    {
        var outputs = new Outputs();
        foreach ((string name, Optimizer optimizer, float[] scalars) in new (string, Optimizer, float[])[]
        {
            ("sgd", new Sgd(0.9f, 1e-3f, nesterov: true), [0.05f]), ("adam", new Adam(weightDecay: 1e-3f), [0.01f, 31.6f]),
        })
        {
            using var h = new DeviceHost(device);
            var values = h.Put(TestData.Uniform(70, length));
            DeviceSlice<float>[] state =
                [.. Enumerable.Range(0, optimizer.StateTensors).Select(s => h.Put([.. TestData.Uniform(71 + s, length, 0.1f).Select(MathF.Abs)]).All)];
            optimizer.Update(device, [new UpdateTensor(values, h.Put(WideRangePartials(73, length * partials.Count)), partials, state)], h.Put(scalars));
            outputs[$"{name} values"] = h.Get(values);
            outputs[$"{name} state"] = Get(device, state[0]);
        }

        return outputs;
    }

    /// <summary>
    /// With momentum 0, η = −1 and w = 0, an SGD step leaves the batch gradient itself in w. It must be the tree of
    /// chunk sums, written here recursively (halves of a power-of-two width, +0 beyond the leaves), never a chain.
    /// </summary>
    [Test]
    public void Update_BatchGradientIsTheTreeOfChunkSums()
    {
        const int Length = 45;
        int differsFromChain = 0;
        for (int count = 1; count <= 40; count++)
        {
            foreach (int perChunk in new[] { 1, BatchTree.BatchChunk })
            {
                float[] raw = WideRangePartials(count, Length * count);
                using var h = new DeviceHost(Device);
                var values = h.Floats(Length, 0f);
                new Sgd(0f).Update(Device, [new UpdateTensor(values, h.Put(raw), new BatchPartials(count, perChunk), [h.Floats(Length, 0f)])], h.Put([-1f]));
                float[] actual = h.Get(values);
                for (int i = 0; i < Length; i++)
                {
                    float[] chunks = [.. Enumerable.Range(0, ((count - 1) / perChunk) + 1).Select(j => ChainFromZero(raw, Length, i, j * perChunk, Math.Min((j + 1) * perChunk, count)))];
                    float expected = Tree(chunks, 0, (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)chunks.Length));
                    Bits.AssertEqual([expected], [actual[i]], $"element {i} of {count} partials, {perChunk} per chunk");
                    differsFromChain += expected != ChainFromZero(raw, Length, i, 0, count) ? 1 : 0;
                }
            }
        }

        differsFromChain.Should().BeGreaterThan(0, "the data must tell the tree from one chain over the batch");
    }

    private static float ChainFromZero(float[] raw, int length, int i, int first, int end)
    {
        float s = 0f;
        for (int k = first; k < end; k++)
        {
            s += raw[(k * length) + i];
        }

        return s;
    }

    private static float Tree(float[] leaves, int first, int width) =>
        width == 1 ? (first < leaves.Length ? leaves[first] : 0f) : Tree(leaves, first, width / 2) + Tree(leaves, first + (width / 2), width / 2);

    /// <summary>Partials over 12 binary orders of magnitude, so that the order of a sum shows in its bits.</summary>
    private static float[] WideRangePartials(int seed, int count) =>
        [.. TestData.Uniform(seed, count).Select((v, k) => v * (1 << (k * 7 % 12)))];

    private (float[] WeightGradient, float[] BiasGradient) DenseGradients(DenseDescriptor d, int batch, float[] x, float[] y, float[] dy, float[] w)
    {
        using var h = new DeviceHost(Device);
        var dw = h.Floats(BatchTree.Chunks(batch) * d.WeightCount);
        var db = h.Floats(BatchTree.Chunks(batch) * d.Outputs);
        new DenseBackward(d, batch, h.Put(x), h.Put(w), h.Put(y), h.Put(dy), dw, db, h.Floats(batch * d.Inputs)).Run(Device);
        return (h.Get(dw), h.Get(db));
    }
}
