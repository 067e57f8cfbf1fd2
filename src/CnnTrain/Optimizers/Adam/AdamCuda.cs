using CnnTrain.Devices.Cuda;

namespace CnnTrain.Optimizers;

/// <summary>Adam and AdamW on the GPU (kernels/adam.cu): up to <see cref="CudaAdamBatch.MaxTensors"/> tensors per launch.</summary>
internal static class AdamCuda
{
    private static readonly CudaKernelName Kernel = new("adam", "adam_update");
    private static readonly CudaKernelName ShallowKernel = new("adam", "adam_update_shallow");

    public static void Run(CudaDevice cuda, in AdamUpdate op)
    {
        AdamRule rule = op.Rule;
        var settings = new CudaAdamBatch
        {
            Beta1 = rule.Beta1, Beta2 = rule.Beta2, OneMinusBeta1 = rule.OneMinusBeta1, OneMinusBeta2 = rule.OneMinusBeta2,
            Epsilon = rule.Epsilon, WeightDecay = rule.L2, Decoupled = rule.Decoupled ? 1 : 0,
        };
        CudaUpdateLauncher.Run(
            cuda, op.Tensors, settings, CudaAdamBatch.MaxTensors, Kernel, ShallowKernel, CudaDevice.Address(op.StepScalars), CudaDevice.Address(op.Guard));
    }
}
