using CnnTrain.Devices.Cuda;

namespace CnnTrain.Ops;

/// <summary>
/// The convolution block on the GPU (kernels/convolution.cu): which kernel fits a block, its launch shape, and the
/// launch. The fast kernels cover the study's block and its relatives; the general ones cover every geometry.
/// All follow the same canonical order.
/// </summary>
internal static class ConvolutionCuda
{
    private static readonly CudaKernelName ForwardAny = new("convolution", "conv2d_forward");
    private static readonly CudaKernelName Forward3x3 = new("convolution", "conv2d_forward_k3");
    private static readonly CudaKernelName ForwardPooled3x3 = new("convolution", "conv2d_forward_pool2_k3");
    private static readonly CudaKernelName FilterWinners = new("convolution", "conv2d_backward_filter_winners");
    private static readonly CudaKernelName FilterSlots = new("convolution", "conv2d_backward_filter");
    private static readonly CudaKernelName Data = new("convolution", "conv2d_backward_data");

    /// <summary>Filters per block (and per thread) of conv2d_forward_pool2_k3 (its POOLED_GROUP).</summary>
    private const int PooledGroup = 8;

    /// <summary>Filters per block of conv2d_backward_filter_winners at most: small groups spread samples over more SMs.</summary>
    private const int WinnersGroup = 4;

    /// <summary>Filters per block of the slot kernel at most (its MAX_GROUP).</summary>
    private const int SlotGroup = 8;

    /// <summary>The dynamic shared memory a block may use without opting in to more.</summary>
    private const int SharedBytes = 48 * 1024;

    public static void Forward(CudaDevice cuda, in ConvolutionForward op)
    {
        Convolution2DDescriptor d = op.Geometry;
        var args = cuda.Arguments();
        args.Add(new CudaConvolutionGeometry(d, op.Batch));
        args.Add(CudaDevice.Address(op.Input));
        args.Add(CudaDevice.Address(op.Weights));
        args.Add(CudaDevice.Address(op.Bias));
        args.Add(CudaDevice.Address(op.Output));
        args.Add(CudaDevice.Address(op.PoolIndices));
        if (PooledStudyPlan(d, op.Batch) is (uint blocks, uint threads, int sharedBytes))
        {
            cuda.Launch(ForwardPooled3x3, (blocks, 1, 1), (threads, 1, 1), ref args, (uint)sharedBytes);
        }
        else
        {
            cuda.Launch(d.KernelSize == 3 ? Forward3x3 : ForwardAny, LaunchShape.Blocks(op.Output.Length), LaunchShape.Block, ref args);
        }
    }

    public static void Backward(CudaDevice cuda, in ConvolutionBackward op)
    {
        Convolution2DDescriptor d = op.Geometry;
        var geometry = new CudaConvolutionGeometry(d, op.Batch);
        var args = cuda.Arguments();
        args.Add(geometry);
        args.Add(CudaDevice.Address(op.Input));
        args.Add(CudaDevice.Address(op.Output));
        args.Add(CudaDevice.Address(op.PoolIndices));
        args.Add(CudaDevice.Address(op.OutputGradient));
        args.Add(CudaDevice.Address(op.WeightPartials));
        args.Add(CudaDevice.Address(op.BiasPartials));
        if (WinnersPlan(d) is (int group, int threads, int sharedBytes))
        {
            args.Add(group);
            uint groups = (uint)((d.Filters + group - 1) / group);
            cuda.Launch(FilterWinners, ((uint)op.Batch * groups, 1, 1), ((uint)threads, 1, 1), ref args, (uint)sharedBytes);
        }
        else
        {
            (int slotGroup, int slotThreads, uint chainBlocks) = SlotPlan(d);
            args.Add(slotGroup);
            uint groups = (uint)((d.Filters + slotGroup - 1) / slotGroup);
            cuda.Launch(FilterSlots, ((uint)op.Batch * groups, chainBlocks, 1), ((uint)slotThreads, 1, 1), ref args);
        }

        if (!op.InputGradient.IsEmpty)
        {
            var data = cuda.Arguments();
            data.Add(geometry);
            data.Add(CudaDevice.Address(op.Weights));
            data.Add(CudaDevice.Address(op.Output));
            data.Add(CudaDevice.Address(op.PoolIndices));
            data.Add(CudaDevice.Address(op.OutputGradient));
            data.Add(CudaDevice.Address(op.InputGradient));
            cuda.Launch(Data, LaunchShape.Blocks(op.InputGradient.Length), LaunchShape.Block, ref data);
        }
    }

    /// <summary>
    /// The launch of conv2d_forward_pool2_k3 (3x3 filters, unit stride, no padding, a 2x2/2 pool: the study's
    /// block), or null when it does not apply or the sample's input and a group's weights do not fit in
    /// shared memory: a block per (sample, group of filters), a thread per pool window.
    /// </summary>
    public static (uint Blocks, uint Threads, int SharedBytes)? PooledStudyPlan(in Convolution2DDescriptor d, int batch)
    {
        if (d.KernelSize != 3 || d.Stride != 1 || d.Padding != 0 || d.PoolSize != 2 || d.PoolStride != 2)
        {
            return null;
        }

        long bytes = ((long)d.InputSize + ((long)PooledGroup * d.InputChannels * 9)) * sizeof(float);
        if (bytes > SharedBytes)
        {
            return null;
        }

        int windows = d.OutputHeight * d.OutputWidth;
        uint groups = (uint)((d.Filters + PooledGroup - 1) / PooledGroup);
        return ((uint)batch * groups, (uint)Math.Min(256, (windows + 31) / 32 * 32), (int)bytes);
    }

    /// <summary>
    /// The launch of conv2d_backward_filter_winners, or null when it does not apply: the block must have no
    /// padding, a pool whose windows do not overlap, and room in shared memory for the sample's input and
    /// at least one filter's windows (four words and a byte each).
    /// </summary>
    public static (int Group, int Threads, int SharedBytes)? WinnersPlan(in Convolution2DDescriptor d)
    {
        if (d.Padding != 0 || !d.HasPool || d.PoolStride < d.PoolSize || d.PoolSize > 255)
        {
            return null;
        }

        int chains = (d.InputChannels * d.KernelSize * d.KernelSize) + 1;
        int windows = d.OutputHeight * d.OutputWidth;
        long inputBytes = (long)d.InputSize * sizeof(float);
        // Per window: the sorted gradient and offset, the staged winner and gradient, and a row-offset byte.
        long perFilter = (long)windows * ((4 * sizeof(float)) + 1);
        long fit = (SharedBytes - inputBytes) / perFilter;
        int group = (int)Math.Min(Math.Min(fit, 1024 / chains), Math.Min(d.Filters, WinnersGroup));
        if (group < 1)
        {
            return null;
        }

        // At least 128 threads, so that staging the input and the winners has many loads in flight.
        int threads = Math.Max(128, ((group * chains) + 31) / 32 * 32);
        return (group, threads, (int)(inputBytes + (group * perFilter)));
    }

    /// <summary>
    /// The launch of the general conv2d_backward_filter: a thread per chain (each weight tap, plus the bias).
    /// Few chains: several filters share a block; many: grid.y splits one filter's chains.
    /// </summary>
    public static (int Group, int Threads, uint ChainBlocks) SlotPlan(in Convolution2DDescriptor d)
    {
        int chains = (d.InputChannels * d.KernelSize * d.KernelSize) + 1;
        int group = Math.Clamp(64 / chains, 1, SlotGroup);
        int threads = group > 1 ? chains * group : Math.Min(256, chains);
        threads = (threads + 31) / 32 * 32;
        uint chainBlocks = group > 1 ? 1u : (uint)((chains + threads - 1) / threads);
        return (group, threads, chainBlocks);
    }
}
