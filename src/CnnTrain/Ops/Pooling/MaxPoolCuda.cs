using CnnTrain.Devices.Cuda;

namespace CnnTrain.Ops;

/// <summary>The standalone max pool on the GPU (kernels/pooling.cu): a thread per output, then a thread per input.</summary>
internal static class MaxPoolCuda
{
    private static readonly CudaKernelName ForwardKernel = new("pooling", "max_pool2d_forward");
    private static readonly CudaKernelName BackwardKernel = new("pooling", "max_pool2d_backward");

    public static void Forward(CudaDevice cuda, in MaxPoolForward op)
    {
        var args = cuda.Arguments();
        AddGeometry(ref args, op.Geometry, op.Batch);
        args.Add(CudaDevice.Address(op.Input));
        args.Add(CudaDevice.Address(op.Output));
        args.Add(CudaDevice.Address(op.Indices));
        cuda.Launch(ForwardKernel, LaunchShape.Blocks(op.Output.Length), LaunchShape.Block, ref args);
    }

    public static void Backward(CudaDevice cuda, in MaxPoolBackward op)
    {
        var args = cuda.Arguments();
        AddGeometry(ref args, op.Geometry, op.Batch);
        args.Add(CudaDevice.Address(op.OutputGradient));
        args.Add(CudaDevice.Address(op.Indices));
        args.Add(CudaDevice.Address(op.InputGradient));
        cuda.Launch(BackwardKernel, LaunchShape.Blocks(op.InputGradient.Length), LaunchShape.Block, ref args);
    }

    private static void AddGeometry(ref Devices.Cuda.Interop.KernelArguments args, in Pool2DDescriptor d, int batch)
    {
        args.Add(batch * d.Channels);
        args.Add(d.InputHeight);
        args.Add(d.InputWidth);
        args.Add(d.Size);
        args.Add(d.Stride);
        args.Add(d.OutputHeight);
        args.Add(d.OutputWidth);
    }
}
