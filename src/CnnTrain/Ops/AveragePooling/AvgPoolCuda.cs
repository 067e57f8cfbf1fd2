using CnnTrain.Devices.Cuda;
using CnnTrain.Devices.Cuda.Interop;

namespace CnnTrain.Ops;

/// <summary>The average pool on the GPU (kernels/average_pooling.cu): a thread per output, then a thread per input.</summary>
internal static class AvgPoolCuda
{
    private static readonly CudaKernelName ForwardKernel = new("average_pooling", "avg_pool2d_forward");
    private static readonly CudaKernelName BackwardKernel = new("average_pooling", "avg_pool2d_backward");

    public static void Forward(CudaDevice cuda, in AvgPoolForward op)
    {
        var args = cuda.Arguments();
        AddGeometry(ref args, op.Geometry, op.Batch);
        args.Add(CudaDevice.Address(op.Input));
        args.Add(CudaDevice.Address(op.Output));
        cuda.Launch(ForwardKernel, LaunchShape.Blocks(op.Output.Length), LaunchShape.Block, ref args);
    }

    public static void Backward(CudaDevice cuda, in AvgPoolBackward op)
    {
        var args = cuda.Arguments();
        AddGeometry(ref args, op.Geometry, op.Batch);
        args.Add(CudaDevice.Address(op.OutputGradient));
        args.Add(CudaDevice.Address(op.InputGradient));
        cuda.Launch(BackwardKernel, LaunchShape.Blocks(op.InputGradient.Length), LaunchShape.Block, ref args);
    }

    private static void AddGeometry(ref KernelArguments args, in AvgPool2DDescriptor d, int batch)
    {
        args.Add(batch * d.Channels);
        args.Add(d.InputHeight);
        args.Add(d.InputWidth);
        args.Add(d.WindowHeight);
        args.Add(d.WindowWidth);
        args.Add(d.StrideY);
        args.Add(d.StrideX);
        args.Add(d.OutputHeight);
        args.Add(d.OutputWidth);
    }
}
