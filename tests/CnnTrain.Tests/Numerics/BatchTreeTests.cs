using System.Text.RegularExpressions;
using CnnTrain.Numerics;
using FluentAssertions;
using NUnit.Framework;

namespace CnnTrain.Tests.Numerics;

/// <summary>The batch tree's definition and the CUDA constant against the C# one (the fast forms: DeviceContract.BatchTree.cs).</summary>
public class BatchTreeTests
{
    [Test]
    public void Reduce_PadsWithZeroAndHalvesPairwise()
    {
        // ((1e8 + 1) + (-1e8 + 1)) rounds both inner sums; a chain from the left would give 1.
        float[] tree = [1e8f, 1f, -1e8f, 1f];
        BatchTree.Reduce(tree, 4).Should().Be(0f);
        float[] odd = [1e8f, 1f, -1e8f, float.NaN];
        BatchTree.Reduce(odd, 3).Should().Be(-1e8f + 1e8f, "a fourth leaf of +0 is padded in: (1e8 + 1) + (-1e8 + 0)");
        BatchTree.Reduce([5f], 1).Should().Be(5f);
    }

    [TestCase(1, 1)]
    [TestCase(16, 1)]
    [TestCase(17, 2)]
    [TestCase(100, 7)]
    public void Chunks_AreCeilOfSixteenths(int samples, int chunks)
    {
        BatchTree.Chunks(samples).Should().Be(chunks);
        BatchTree.Samples(chunks - 1, samples).Should().Be(((chunks - 1) * 16, samples));
    }

    [Test]
    public void TheCudaChunkIsTheSame()
    {
        string header = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "kernels", "common", "batch_tree.cuh"));
        Match define = Regex.Match(header, @"#define\s+BATCH_CHUNK\s+(\d+)");
        define.Success.Should().BeTrue("batch_tree.cuh defines BATCH_CHUNK");
        int.Parse(define.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture).Should().Be(BatchTree.BatchChunk);
    }
}
