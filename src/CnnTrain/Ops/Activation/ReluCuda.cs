using CnnTrain.Devices.Cuda;

namespace CnnTrain.Ops;

/// <summary>The standalone ReLU on the GPU (kernels/activation.cu): a thread per element.</summary>
internal static class ReluCuda
{
    private static readonly CudaKernelName ForwardKernel = new("activation", "relu_forward");
    private static readonly CudaKernelName BackwardKernel = new("activation", "relu_backward");

    public static void Forward(CudaDevice cuda, in ReluForward op)
    {
        var args = cuda.Arguments();
        args.Add((long)op.Input.Length);
        args.Add(CudaDevice.Address(op.Input));
        args.Add(CudaDevice.Address(op.Output));
        cuda.Launch(ForwardKernel, LaunchShape.Blocks(op.Input.Length), LaunchShape.Block, ref args);
    }

    public static void Backward(CudaDevice cuda, in ReluBackward op)
    {
        var args = cuda.Arguments();
        args.Add((long)op.Output.Length);
        args.Add(CudaDevice.Address(op.Output));
        args.Add(CudaDevice.Address(op.OutputGradient));
        args.Add(CudaDevice.Address(op.InputGradient));
        cuda.Launch(BackwardKernel, LaunchShape.Blocks(op.Output.Length), LaunchShape.Block, ref args);
    }
}
