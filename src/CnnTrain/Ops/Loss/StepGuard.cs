using CnnTrain.Devices;
using CnnTrain.Devices.Cpu;
using CnnTrain.Devices.Cuda;

namespace CnnTrain.Ops;

/// <summary>
/// The guard of <see cref="Training.TrainerOptions.SkipNonFiniteSteps"/>: <c>Guard[0]</c> becomes 1 when every loss of
/// the step is finite, else 0, and the optimizer's update reads it on the device, so a step that diverged is skipped
/// without the host waiting for it. Exact (comparisons only), so every device agrees.
/// </summary>
internal readonly record struct StepGuard(DeviceSlice<float> Losses, DeviceSlice<int> Guard)
{
    private static readonly CudaKernelName Kernel = new("softmax_cross_entropy", "step_guard");

    /// <summary>Checks the arguments, then queues the operation on <paramref name="device"/>.</summary>
    public void Run(IComputeDevice device)
    {
        SliceChecks.Owned(device, Losses, nameof(Losses));
        SliceChecks.Slice(device, Guard, 1, nameof(Guard));
        SliceChecks.WritesIndices(Guard);
        DeviceOps.Run(device, this, RunOnHost, RunOnHost, RunOnGpu);
    }

    /// <summary>Whether <paramref name="guard"/>, read on the host, lets the update run.</summary>
    public static bool Allows(DeviceSlice<int> guard) => guard.IsEmpty || CpuDevice.Span(guard)[0] != 0;

    // One pass over a batch of losses: the same code serves the reference and the multicore device.
    private static void RunOnHost(CpuDevice cpu, in StepGuard op)
    {
        bool finite = true;
        foreach (float loss in CpuDevice.Span(op.Losses))
        {
            finite &= float.IsFinite(loss);
        }

        CpuDevice.Span(op.Guard)[0] = finite ? 1 : 0;
    }

    private static void RunOnGpu(CudaDevice cuda, in StepGuard op)
    {
        var args = cuda.Arguments();
        args.Add(op.Losses.Length);
        args.Add(CudaDevice.Address(op.Losses));
        args.Add(CudaDevice.Address(op.Guard));
        cuda.Launch(Kernel, (1, 1, 1), (LaunchShape.Threads, 1, 1), ref args);
    }
}
