using CnnTrain.Devices.Cuda;

namespace CnnTrain.Ops;

/// <summary>The dense block on the GPU (kernels/dense.cu): which kernel fits a layer, its launch shape, and the launch.</summary>
internal static class DenseCuda
{
    private static readonly CudaKernelName ForwardKernel = new("dense", "dense_forward");
    private static readonly CudaKernelName BackwardKernel = new("dense", "dense_backward");
    private static readonly CudaKernelName BackwardSmallKernel = new("dense", "dense_backward_small");

    /// <summary>The most outputs dense_backward_small gives a warp each (its SMALL_OUTPUTS).</summary>
    public const int SmallOutputs = 16;

    private const int SharedBytes = 48 * 1024;

    public static void Forward(CudaDevice cuda, in DenseForward op)
    {
        var args = cuda.Arguments();
        AddGeometry(ref args, op.Geometry, op.Batch);
        args.Add(CudaDevice.Address(op.Input));
        args.Add(CudaDevice.Address(op.Weights));
        args.Add(CudaDevice.Address(op.Bias));
        args.Add(CudaDevice.Address(op.Output));

        // A warp per output element.
        cuda.Launch(ForwardKernel, LaunchShape.Blocks((long)op.Output.Length * 32), LaunchShape.Block, ref args);
    }

    public static void Backward(CudaDevice cuda, in DenseBackward op)
    {
        var args = cuda.Arguments();
        AddGeometry(ref args, op.Geometry, op.Batch);
        args.Add(CudaDevice.Address(op.Input));
        args.Add(CudaDevice.Address(op.Weights));
        args.Add(CudaDevice.Address(op.Output));
        args.Add(CudaDevice.Address(op.OutputGradient));
        args.Add(CudaDevice.Address(op.WeightGradient));
        args.Add(CudaDevice.Address(op.BiasGradient));
        args.Add(CudaDevice.Address(op.InputGradient));
        if (BackwardPlan(op.Geometry, op.Batch) is (uint blocks, uint blockThreads, int sharedBytes))
        {
            cuda.Launch(BackwardSmallKernel, (blocks, 1, 1), (blockThreads, 1, 1), ref args, (uint)sharedBytes);
        }
        else
        {
            long threads = (long)op.WeightGradient.Length + op.BiasGradient.Length + op.InputGradient.Length;
            cuda.Launch(BackwardKernel, LaunchShape.Blocks(threads), LaunchShape.Block, ref args);
        }
    }

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

    private static void AddGeometry(ref Devices.Cuda.Interop.KernelArguments args, in DenseDescriptor d, int batch)
    {
        args.Add(batch);
        args.Add(d.Inputs);
        args.Add(d.Outputs);
        args.Add(d.Activation == Activation.Relu ? 1 : 0);
    }
}
