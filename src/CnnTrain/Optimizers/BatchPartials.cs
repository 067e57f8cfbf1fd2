using CnnTrain.Numerics;

namespace CnnTrain.Optimizers;

/// <summary>
/// What a gradient buffer holds for the update: <see cref="Count"/> partials of the values' length end to end, of
/// which <see cref="PerChunk"/> form one chunk of the batch tree (docs/numerics.md, "Sums over the batch"):
/// <see cref="BatchTree.BatchChunk"/> per-sample partials (a convolution), or 1 when the backward pass already
/// reduced each chunk (a dense layer).
/// </summary>
internal readonly record struct BatchPartials(int Count, int PerChunk)
{
    /// <summary>The chunks, ceil(<see cref="Count"/> / <see cref="PerChunk"/>): the tree's leaves.</summary>
    public int Chunks => ((Count - 1) / PerChunk) + 1;

    /// <summary>One partial per sample, which the update sums chunk by chunk.</summary>
    public static BatchPartials PerSample(int batch) => new(batch, BatchTree.BatchChunk);

    /// <summary>One partial per chunk of the batch, reduced over its samples by the backward pass.</summary>
    public static BatchPartials PerChunkOf(int batch) => new(BatchTree.Chunks(batch), 1);

    /// <summary>Whether the update can read a tensor of these partials; the two kinds above are the only ones.</summary>
    public bool IsValid => Count >= 1 && (PerChunk == 1 || PerChunk == BatchTree.BatchChunk);

    /// <summary>The first partial of chunk <paramref name="chunk"/>.</summary>
    public int First(int chunk) => chunk * PerChunk;

    /// <summary>One past the last partial of chunk <paramref name="chunk"/>.</summary>
    public int End(int chunk) => Math.Min(First(chunk) + PerChunk, Count);

    public override string ToString() => $"{Count} partials, {PerChunk} per chunk";
}
