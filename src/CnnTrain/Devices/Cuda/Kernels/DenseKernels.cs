namespace CnnTrain.Devices.Cuda.Kernels;

/// <summary>Which dense kernel fits a layer, and its launch shape.</summary>
internal static class DenseKernels
{
    /// <summary>The most outputs the small-head kernels keep in registers (their SMALL_OUTPUTS).</summary>
    public const int SmallOutputs = 16;

    /// <summary>
    /// Samples per block of dense_forward_small, a warp per (sample, output): two samples share each weight
    /// row through L1 while keeping enough blocks to spread over the GPU.
    /// </summary>
    public static int SamplesPerBlock(in DenseDescriptor d) => Math.Clamp(32 / d.Outputs, 1, 2);

    /// <summary>Threads per block of dense_backward_small: small blocks spread the input features over every SM.</summary>
    public const int BackwardThreads = 64;

    private const int SharedBytes = 48 * 1024;

    public static bool IsSmallHead(in DenseDescriptor d) => d.Outputs <= SmallOutputs;

    /// <summary>The shared memory dense_backward_small needs for the batch's output gradients, or null when it does not fit.</summary>
    public static int? BackwardSharedBytes(in DenseDescriptor d, int batch)
    {
        long bytes = (long)batch * d.Outputs * sizeof(float);
        return IsSmallHead(d) && bytes <= SharedBytes ? (int)bytes : null;
    }
}
