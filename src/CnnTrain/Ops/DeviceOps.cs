using CnnTrain.Devices;
using CnnTrain.Devices.Cpu;
using CnnTrain.Devices.Cuda;

namespace CnnTrain.Ops;

/// <summary>An operation's CPU implementation: runs it on host memory, now or when a recorded program replays.</summary>
internal delegate void CpuKernel<TOp>(CpuDevice cpu, in TOp op)
    where TOp : struct;

/// <summary>An operation's CUDA launcher: queues its kernels on the device's stream.</summary>
internal delegate void CudaLauncher<TOp>(CudaDevice cuda, in TOp op)
    where TOp : struct;

/// <summary>
/// Where an operation meets the devices, in one place for every op family: the operation, already checked,
/// runs its reference loops on <see cref="Devices.Sequential.SequentialDevice"/>, its SIMD implementation on
/// <see cref="Devices.Multicore.MulticoreDevice"/>, and its CUDA launcher on <see cref="CudaDevice"/>.
/// </summary>
internal static class DeviceOps
{
    public static void Run<TOp>(IComputeDevice device, in TOp op, CpuKernel<TOp> reference, CpuKernel<TOp> simd, CudaLauncher<TOp> cuda)
        where TOp : struct
    {
        switch (device)
        {
            case CudaDevice gpu:
                gpu.Queue(cuda, op);
                break;
            case CpuDevice cpu:
                cpu.Queue(cpu.UsesSimd ? simd : reference, op);
                break;
            default:
                throw new NotSupportedException(
                    $"Device '{device.Name}' ({device.GetType().Name}) is not one of CnnTrain's devices; the library's operations run on SequentialDevice, MulticoreDevice and CudaDevice.");
        }
    }
}
