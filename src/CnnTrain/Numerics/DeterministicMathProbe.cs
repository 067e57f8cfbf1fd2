using CnnTrain.Devices;
using CnnTrain.Devices.Cuda;
using CnnTrain.Ops;

namespace CnnTrain.Numerics;

/// <summary>The kernels' exp and log (kernels/common/deterministic_math.cuh) evaluated on the GPU, for the tests that compare them with <see cref="DeterministicMath"/>.</summary>
internal static class DeterministicMathProbe
{
    private static readonly CudaKernelName Kernel = new("deterministic_math_probe", "deterministic_math_probe");

    public static void Run(CudaDevice device, DeviceSlice<float> input, DeviceSlice<float> exp, DeviceSlice<float> log)
    {
        SliceChecks.Owned(device, input, nameof(input));
        SliceChecks.Slice(device, exp, input.Length, nameof(exp));
        SliceChecks.Slice(device, log, input.Length, nameof(log));
        var op = new Probe(input, exp, log);
        device.Queue<Probe>(Launch, op);
    }

    private static void Launch(CudaDevice cuda, in Probe op)
    {
        var args = cuda.Arguments();
        args.Add((long)op.Input.Length);
        args.Add(CudaDevice.Address(op.Input));
        args.Add(CudaDevice.Address(op.Exp));
        args.Add(CudaDevice.Address(op.Log));
        cuda.Launch(Kernel, LaunchShape.Blocks(op.Input.Length), LaunchShape.Block, ref args);
    }

    private readonly record struct Probe(DeviceSlice<float> Input, DeviceSlice<float> Exp, DeviceSlice<float> Log);
}
