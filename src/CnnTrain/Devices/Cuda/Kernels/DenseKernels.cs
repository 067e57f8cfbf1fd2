namespace CnnTrain.Devices.Cuda.Kernels;

/// <summary>Which dense kernel fits a layer, and its launch shape.</summary>
internal static class DenseKernels
{
    /// <summary>The most outputs dense_backward_small gives a warp each (its SMALL_OUTPUTS).</summary>
    public const int SmallOutputs = 16;


    private const int SharedBytes = 48 * 1024;

    public static bool IsSmallHead(in DenseDescriptor d) => d.Outputs <= SmallOutputs;

    /// <summary>
    /// The launch of dense_backward_small, or null when it does not apply: a block per 32 input features
    /// with a warp per output, and shared memory for the batch's output gradients and the block's weights.
    /// </summary>
    public static (uint Blocks, uint Threads, int SharedBytes)? BackwardPlan(in DenseDescriptor d, int batch)
    {
        long bytes = (((long)batch * d.Outputs) + (32L * d.Outputs)) * sizeof(float);
        if (!IsSmallHead(d) || bytes > SharedBytes)
        {
            return null;
        }

        return ((uint)((d.Inputs + 31) / 32), (uint)(32 * d.Outputs), (int)bytes);
    }
}
