using CnnTrain.Devices.Cuda;

namespace CnnTrain.Optimizers;

/// <summary>SGD on the GPU (kernels/sgd.cu): up to <see cref="CudaSgdBatch.MaxTensors"/> tensors per launch.</summary>
internal static class SgdCuda
{
    private static readonly CudaKernelName Kernel = new("sgd", "sgd_update");
    private static readonly CudaKernelName ShallowKernel = new("sgd", "sgd_update_shallow");

    public static void Run(CudaDevice cuda, in SgdUpdate op)
    {
        var settings = new CudaSgdBatch
        {
            Momentum = op.Settings.Momentum, WeightDecay = op.Settings.WeightDecay, Nesterov = op.Settings.Nesterov ? 1 : 0,
        };
        CudaUpdateLauncher.Run(
            cuda, op.Tensors, settings, CudaSgdBatch.MaxTensors, Kernel, ShallowKernel, CudaDevice.Address(op.LearningRate), CudaDevice.Address(op.Guard));
    }
}
