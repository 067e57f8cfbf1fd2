using CnnTrain.Devices.Cuda;

namespace CnnTrain.Ops;

/// <summary>Dropout on the GPU (kernels/dropout.cu): a thread per element, forward and backward alike.</summary>
internal static class DropoutCuda
{
    private static readonly CudaKernelName Kernel = new("dropout", "dropout_apply");

    public static void Forward(CudaDevice cuda, in DropoutForward op) => Launch(cuda, op.Batch, op.Size, op.Scale, op.Masks, op.Input, op.Output);

    public static void Backward(CudaDevice cuda, in DropoutBackward op) =>
        Launch(cuda, op.Batch, op.Size, op.Scale, op.Masks, op.OutputGradient, op.InputGradient);

    private static void Launch(
        CudaDevice cuda, int batch, int size, float scale, Devices.DeviceSlice<int> masks, Devices.DeviceSlice<float> x, Devices.DeviceSlice<float> y)
    {
        var args = cuda.Arguments();
        args.Add(batch * size);   // fits: the slices' lengths are ints, checked by the op
        args.Add(size);
        args.Add(DropoutMask.WordsPerSample(size));
        args.Add(scale);
        args.Add(CudaDevice.Address(masks));
        args.Add(CudaDevice.Address(x));
        args.Add(CudaDevice.Address(y));
        cuda.Launch(Kernel, LaunchShape.Blocks((long)batch * size), LaunchShape.Block, ref args);
    }
}
