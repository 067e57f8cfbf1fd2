using CnnTrain.Devices.Cuda;
using CnnTrain.Numerics;

namespace CnnTrain.Ops;

/// <summary>
/// The dense block on the GPU (kernels/dense.cu): which kernel fits a layer, its launch shape, and the launch. The
/// forward pass gives a warp (dot32's lanes) each output, or each 4 x 4 block of samples and outputs when there are
/// enough of them; the backward pass runs as GEMMs of the chunk partials and the
/// input gradient, heads of few outputs included (their own kernel, a warp per output sharing each input value, was
/// measured slower on the H200: the study's epoch 31.5 against 27.8 ms at batch 100, 18.7 against 14.0 at 1000).
/// Dot32 as 32 lane GEMMs and a fold was measured slower too: 54 against 46 µs for 9216 to 128 at batch 100,
/// 13.4 against 8.9 µs for the study's head.
/// </summary>
internal static class DenseCuda
{
    private static readonly CudaKernelName ForwardKernel = new("dense", "dense_forward");
    private static readonly CudaKernelName TiledForwardKernel = new("dense", "dense_forward_tiled");

    /// <summary>Samples and outputs a warp of dense_forward_tiled takes (4 x 4).</summary>
    private const int ForwardTile = 4;

    /// <summary>Warps the tiled forward kernel must have to be chosen: about 16 a multiprocessor of a large GPU.</summary>
    private const long TiledForwardWarps = 2048;
    private static readonly ImplicitGemm DataGemm = new("dense", "dense_gemm_data");
    private static readonly ImplicitGemm FilterGemm = new("dense", "dense_gemm_filter");


    public static void Forward(CudaDevice cuda, in DenseForward op)
    {
        var args = cuda.Arguments();
        AddGeometry(ref args, op.Geometry, op.Batch);
        args.Add(CudaDevice.Address(op.Input));
        args.Add(CudaDevice.Address(op.Weights));
        args.Add(CudaDevice.Address(op.Bias));
        args.Add(CudaDevice.Address(op.Output));
        long tiledWarps = ((op.Batch + ForwardTile - 1) / ForwardTile) * (long)((op.Geometry.Outputs + ForwardTile - 1) / ForwardTile);
        bool tiled = tiledWarps >= TiledForwardWarps;
        cuda.Launch(tiled ? TiledForwardKernel : ForwardKernel, LaunchShape.Blocks((tiled ? tiledWarps : op.Output.Length) * 32L), LaunchShape.Block, ref args);
    }

    public static void Backward(CudaDevice cuda, in DenseBackward op) => Backward(cuda, op, null);

    /// <summary>The backward pass with its GEMMs on <paramref name="tile"/> when given (tests run each tile shape).</summary>
    public static void Backward(CudaDevice cuda, in DenseBackward op, (int Rows, int Columns)? tile)
    {
        DenseDescriptor d = op.Geometry;
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

    private static void AddGeometry(ref Devices.Cuda.Interop.KernelArguments args, in DenseDescriptor d, int batch)
    {
        args.Add(batch);
        args.Add(d.Inputs);
        args.Add(d.Outputs);
        args.Add(d.Activation == Activation.Relu ? 1 : 0);
    }
}
