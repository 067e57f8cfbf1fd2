using CnnTrain.Devices.Cuda;

namespace CnnTrain.Ops;

/// <summary>Softmax cross-entropy on the GPU (kernels/softmax_cross_entropy.cu).</summary>
internal static class SoftmaxCrossEntropyCuda
{
    private static readonly CudaKernelName ThreadPerSample = new("softmax_cross_entropy", "softmax_cross_entropy");
    private static readonly CudaKernelName WarpPerSample = new("softmax_cross_entropy", "softmax_cross_entropy_warp");

    public static void Run(CudaDevice cuda, in SoftmaxCrossEntropy op)
    {
        var args = cuda.Arguments();
        args.Add(op.Batch);
        args.Add(op.Classes);
        args.Add(CudaDevice.Address(op.Logits));
        args.Add(CudaDevice.Address(op.Labels));
        args.Add(CudaDevice.Address(op.Losses));
        args.Add(CudaDevice.Address(op.Predictions));
        args.Add(CudaDevice.Address(op.LogitGradient));
        if (op.Classes <= 32)
        {
            // A warp per sample, a lane per class.
            cuda.Launch(WarpPerSample, LaunchShape.Blocks(32L * op.Batch), LaunchShape.Block, ref args);
        }
        else
        {
            cuda.Launch(ThreadPerSample, LaunchShape.Blocks(op.Batch), LaunchShape.Block, ref args);
        }
    }
}
