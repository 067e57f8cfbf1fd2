using CnnTrain.Devices.Cuda;
using CnnTrain.Numerics;

namespace CnnTrain.Ops;

/// <summary>The dense block on the GPU (kernels/dense.cu): which kernel fits a layer, its launch shape, and the launch.</summary>
internal static class DenseCuda
{
    private static readonly CudaKernelName ForwardKernel = new("dense", "dense_forward");
    private static readonly CudaKernelName BackwardKernel = new("dense", "dense_backward");
    private static readonly CudaKernelName BackwardSmallKernel = new("dense", "dense_backward_small");

    /// <summary>The most outputs dense_backward_small gives a warp each (its SMALL_OUTPUTS).</summary>
    public const int SmallOutputs = 16;

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
    /// The launch of dense_backward_small, or null when it does not apply: a block per 32 input features and chunk of
    /// the batch, with a warp per output, and shared memory for the chunk's output gradients and the block's weights.
    /// </summary>
    public static (uint Blocks, uint Threads, int SharedBytes)? BackwardPlan(in DenseDescriptor d, int batch)
    {
        long blocks = (((long)d.Inputs + 31) / 32) * BatchTree.Chunks(batch);
        if (!IsSmallHead(d) || blocks > int.MaxValue)
        {
            return null;
        }

        return ((uint)blocks, (uint)(32 * d.Outputs), (BatchTree.BatchChunk + 32) * d.Outputs * sizeof(float));
    }

    private static void AddGeometry(ref Devices.Cuda.Interop.KernelArguments args, in DenseDescriptor d, int batch)
    {
        args.Add(batch);
        args.Add(d.Inputs);
        args.Add(d.Outputs);
        args.Add(d.Activation == Activation.Relu ? 1 : 0);
    }
}
