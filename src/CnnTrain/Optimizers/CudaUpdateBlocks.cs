namespace CnnTrain.Optimizers;

/// <summary>
/// How sgd_update and adam_update deal blocks to a tensor (kernels/common/batch_tree.cuh): a thread per element when
/// its gradient is one partial or the tensor is large (the thread walks the chunks); otherwise a block per
/// <c>TREE_COLUMNS</c> elements, whose warps reduce chunks of the batch side by side.
/// </summary>
internal static class CudaUpdateBlocks
{
    /// <summary>Threads per block: <c>TREE_ROWS * TREE_COLUMNS</c>.</summary>
    public const uint Threads = 256;

    /// <summary>Elements per block of a small tensor of several partials (the kernels' TREE_COLUMNS).</summary>
    private const int TreeColumns = 32;

    /// <summary>Elements from which a tensor of several partials takes a thread per element (the kernels' TREE_WIDE).</summary>
    private const long TreeWide = 8192;

    /// <summary>The blocks a tensor of <paramref name="length"/> elements takes.</summary>
    public static long For(long length, BatchPartials partials) =>
        partials.Count == 1 || length >= TreeWide ? (length + Threads - 1) / Threads : (length + TreeColumns - 1) / TreeColumns;

    /// <summary>
    /// Whether a launch over tensors of these partials may take the kernels' shallow variant: every tensor has fewer
    /// than 2^TREE_SHALLOW_LEVELS chunks, so the tree's stack needs no deeper levels.
    /// </summary>
    public static bool Shallow(ReadOnlySpan<UpdateTensor> tensors)
    {
        foreach (UpdateTensor t in tensors)
        {
            if (t.Partials.Chunks >= 1 << ShallowLevels)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The kernels' TREE_SHALLOW_LEVELS.</summary>
    private const int ShallowLevels = 8;
}
