using CnnTrain.Devices;
using CnnTrain.Devices.Cuda;
using CnnTrain.Numerics;

namespace CnnTrain.Ops;

/// <summary>
/// The dense block on the GPU (kernels/dense.cu): which kernel fits a layer, its launch shape, and the launch. The
/// forward pass runs dot32 as 32 lane GEMMs and a fold; the backward pass as GEMMs of the chunk partials and the input
/// gradient, except for heads of few outputs, whose own kernel shares each input value among their outputs.
/// </summary>
internal static class DenseCuda
{
    private static readonly CudaKernelName BackwardSmallKernel = new("dense", "dense_backward_small");
    private static readonly CudaKernelName Fold = new("dense", "dense_fold");
    private static readonly ImplicitGemm LanesGemm = new("dense", "dense_gemm_lanes");
    private static readonly ImplicitGemm DataGemm = new("dense", "dense_gemm_data");
    private static readonly ImplicitGemm FilterGemm = new("dense", "dense_gemm_filter");

    /// <summary>The lanes of dot32, each a GEMM of its own.</summary>
    private const int Lanes = 32;

    /// <summary>The most outputs dense_backward_small gives a warp each (its SMALL_OUTPUTS).</summary>
    public const int SmallOutputs = 16;

    /// <summary>The floats of scratch a stage should give the forward pass on <paramref name="device"/>: the lanes' partials.</summary>
    public static long ScratchLength(IComputeDevice device, in DenseDescriptor d, int maxBatch) =>
        device is CudaDevice ? (long)Lanes * maxBatch * d.Outputs : 0;

    public static void Forward(CudaDevice cuda, in DenseForward op) => Forward(cuda, op, null);

    public static void Backward(CudaDevice cuda, in DenseBackward op) => Backward(cuda, op, null);

    /// <summary>The forward pass with its GEMM on <paramref name="tile"/> when given (tests run each tile shape).</summary>
    public static void Forward(CudaDevice cuda, in DenseForward op, (int Rows, int Columns)? tile)
    {
        DenseDescriptor d = op.Geometry;
        using DeviceBuffer<float>? temporary = op.Scratch.IsEmpty ? cuda.Allocate<float>(checked(Lanes * op.Batch * d.Outputs)) : null;
        DeviceSlice<float> lanes = temporary?.All ?? op.Scratch;
        var gemm = cuda.Arguments();
        gemm.Add(op.Batch);
        gemm.Add(d.Inputs);
        gemm.Add(d.Outputs);
        gemm.Add(CudaDevice.Address(op.Input));
        gemm.Add(CudaDevice.Address(op.Weights));
        gemm.Add(CudaDevice.Address(lanes));
        LanesGemm.Launch(cuda, d.Outputs, op.Batch, Lanes, tile, ref gemm);

        var fold = cuda.Arguments();
        fold.Add(op.Batch);
        fold.Add(d.Outputs);
        fold.Add(d.Activation == Activation.Relu ? 1 : 0);
        fold.Add(CudaDevice.Address(lanes));
        fold.Add(CudaDevice.Address(op.Bias));
        fold.Add(CudaDevice.Address(op.Output));
        cuda.Launch(Fold, LaunchShape.Blocks(op.Output.Length), LaunchShape.Block, ref fold);
    }

    /// <summary>The backward pass with its GEMMs on <paramref name="tile"/> when given (tests run each tile shape).</summary>
    public static void Backward(CudaDevice cuda, in DenseBackward op, (int Rows, int Columns)? tile)
    {
        DenseDescriptor d = op.Geometry;
        if (tile is null && BackwardPlan(d, op.Batch) is (uint blocks, uint blockThreads, int sharedBytes))
        {
            var args = cuda.Arguments();
            AddGeometry(ref args, d, op.Batch);
            args.Add(CudaDevice.Address(op.Input));
            args.Add(CudaDevice.Address(op.Weights));
            args.Add(CudaDevice.Address(op.Output));
            args.Add(CudaDevice.Address(op.OutputGradient));
            args.Add(CudaDevice.Address(op.WeightGradient));
            args.Add(CudaDevice.Address(op.BiasGradient));
            args.Add(CudaDevice.Address(op.InputGradient));
            cuda.Launch(BackwardSmallKernel, (blocks, 1, 1), (blockThreads, 1, 1), ref args, (uint)sharedBytes);
            return;
        }

        var filter = cuda.Arguments();
        AddGeometry(ref filter, d, op.Batch);
        filter.Add(CudaDevice.Address(op.Input));
        filter.Add(CudaDevice.Address(op.Output));
        filter.Add(CudaDevice.Address(op.OutputGradient));
        filter.Add(CudaDevice.Address(op.WeightGradient));
        filter.Add(CudaDevice.Address(op.BiasGradient));
        FilterGemm.Launch(cuda, d.Outputs, d.Inputs + 1L, BatchTree.Chunks(op.Batch), tile, ref filter);
        if (!op.InputGradient.IsEmpty)
        {
            var data = cuda.Arguments();
            AddGeometry(ref data, d, op.Batch);
            data.Add(CudaDevice.Address(op.Weights));
            data.Add(CudaDevice.Address(op.Output));
            data.Add(CudaDevice.Address(op.OutputGradient));
            data.Add(CudaDevice.Address(op.InputGradient));
            DataGemm.Launch(cuda, op.Batch, d.Inputs, 1, tile, ref data);
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
