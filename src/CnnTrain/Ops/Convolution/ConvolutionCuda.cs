using CnnTrain.Devices;
using CnnTrain.Devices.Cuda;
using CnnTrain.Devices.Cuda.Interop;

namespace CnnTrain.Ops;

/// <summary>
/// The convolution block on the GPU (kernels/convolution.cu): which kernel fits a block, its launch shape, and the
/// launch. Every geometry runs as implicit GEMMs (forward, input gradient, per-sample partials); one-channel blocks
/// of the study's shape keep their own kernels, which beat a GEMM whose reduction is only K² long. All follow the
/// same canonical order.
/// </summary>
internal static class ConvolutionCuda
{
    private static readonly CudaKernelName ForwardPooled3x3 = new("convolution", "conv2d_forward_pool2_k3");
    private static readonly CudaKernelName FilterWinners = new("convolution", "conv2d_backward_filter_winners");
    private static readonly CudaKernelName Pool = new("convolution", "conv2d_pool");
    private static readonly CudaKernelName OutputGradient = new("convolution", "conv2d_output_gradient");
    private static readonly ImplicitGemm ForwardGemm = new("convolution", "conv_gemm_forward");
    private static readonly ImplicitGemm DataGemm = new("convolution", "conv_gemm_data");
    private static readonly ImplicitGemm FilterGemm = new("convolution", "conv_gemm_filter");

    /// <summary>Filters per block (and per thread) of conv2d_forward_pool2_k3 (its POOLED_GROUP).</summary>
    private const int PooledGroup = 8;

    /// <summary>Filters per block of conv2d_backward_filter_winners at most: small groups spread samples over more SMs.</summary>
    private const int WinnersGroup = 4;

    /// <summary>The dynamic shared memory a block may use without opting in to more.</summary>
    private const int SharedBytes = 48 * 1024;

    /// <summary>
    /// The floats of scratch a stage should give this block's operations on <paramref name="device"/>: the convolution
    /// output of a batch when the GPU pools it or forms its gradient there; none on other devices.
    /// </summary>
    public static long ScratchLength(IComputeDevice device, in Convolution2DDescriptor d, int maxBatch) =>
        device is CudaDevice && (d.HasPool || d.Activation != Activation.None) ? (long)maxBatch * d.ConvolutionSize : 0;

    public static void Forward(CudaDevice cuda, in ConvolutionForward op) => Forward(cuda, op, null);

    public static void Backward(CudaDevice cuda, in ConvolutionBackward op) => Backward(cuda, op, null);

    /// <summary>The forward pass with every GEMM on <paramref name="tile"/> when given (tests run each tile shape).</summary>
    public static void Forward(CudaDevice cuda, in ConvolutionForward op, (int Rows, int Columns)? tile)
    {
        Convolution2DDescriptor d = op.Geometry;
        var geometry = new CudaConvolutionGeometry(d, op.Batch);
        if (tile is null && d.InputChannels == 1 && PooledStudyPlan(d, op.Batch) is (uint blocks, uint threads, int sharedBytes))
        {
            var args = cuda.Arguments();
            args.Add(geometry);
            args.Add(CudaDevice.Address(op.Input));
            args.Add(CudaDevice.Address(op.Weights));
            args.Add(CudaDevice.Address(op.Bias));
            args.Add(CudaDevice.Address(op.Output));
            args.Add(CudaDevice.Address(op.PoolIndices));
            cuda.Launch(ForwardPooled3x3, (blocks, 1, 1), (threads, 1, 1), ref args, (uint)sharedBytes);
            return;
        }

        using DeviceBuffer<float>? temporary = d.HasPool && op.Scratch.IsEmpty ? cuda.Allocate<float>(checked(op.Batch * d.ConvolutionSize)) : null;
        DeviceSlice<float> z = !d.HasPool ? op.Output : temporary?.All ?? op.Scratch;
        var gemm = cuda.Arguments();
        gemm.Add(geometry);
        gemm.Add(CudaDevice.Address(op.Input));
        gemm.Add(CudaDevice.Address(op.Weights));
        gemm.Add(CudaDevice.Address(op.Bias));
        gemm.Add(CudaDevice.Address(z));
        ForwardGemm.Launch(cuda, d.Filters, (long)op.Batch * d.ConvolutionHeight * d.ConvolutionWidth, 1, tile, ref gemm);
        if (d.HasPool)
        {
            var pool = cuda.Arguments();
            pool.Add(geometry);
            pool.Add(CudaDevice.Address(z));
            pool.Add(CudaDevice.Address(op.Output));
            pool.Add(CudaDevice.Address(op.PoolIndices));
            cuda.Launch(Pool, LaunchShape.Blocks(op.Output.Length), LaunchShape.Block, ref pool);
        }
    }

    /// <summary>The backward pass with every GEMM on <paramref name="tile"/> when given (tests run each tile shape).</summary>
    public static void Backward(CudaDevice cuda, in ConvolutionBackward op, (int Rows, int Columns)? tile)
    {
        Convolution2DDescriptor d = op.Geometry;
        var geometry = new CudaConvolutionGeometry(d, op.Batch);
        (int Group, int Threads, int SharedBytes)? winners = tile is null && d.InputChannels == 1 ? WinnersPlan(d) : null;
        bool needsGradient = winners is null || !op.InputGradient.IsEmpty;
        bool routed = d.HasPool || d.Activation != Activation.None;
        using DeviceBuffer<float>? temporary = needsGradient && routed && op.Scratch.IsEmpty
            ? cuda.Allocate<float>(checked(op.Batch * d.ConvolutionSize))
            : null;
        DeviceSlice<float> dz = !routed ? op.OutputGradient : temporary?.All ?? op.Scratch;
        if (needsGradient && routed)
        {
            var args = cuda.Arguments();
            args.Add(geometry);
            args.Add(CudaDevice.Address(op.Output));
            args.Add(CudaDevice.Address(op.PoolIndices));
            args.Add(CudaDevice.Address(op.OutputGradient));
            args.Add(CudaDevice.Address(dz));
            cuda.Launch(OutputGradient, LaunchShape.Blocks((long)op.Batch * d.ConvolutionSize), LaunchShape.Block, ref args);
        }

        if (winners is (int group, int threads, int sharedBytes))
        {
            var args = cuda.Arguments();
            args.Add(geometry);
            args.Add(CudaDevice.Address(op.Input));
            args.Add(CudaDevice.Address(op.Output));
            args.Add(CudaDevice.Address(op.PoolIndices));
            args.Add(CudaDevice.Address(op.OutputGradient));
            args.Add(CudaDevice.Address(op.WeightPartials));
            args.Add(CudaDevice.Address(op.BiasPartials));
            args.Add(group);
            uint groups = (uint)((d.Filters + group - 1) / group);
            cuda.Launch(FilterWinners, ((uint)op.Batch * groups, 1, 1), ((uint)threads, 1, 1), ref args, (uint)sharedBytes);
        }
        else
        {
            var args = cuda.Arguments();
            args.Add(geometry);
            args.Add(CudaDevice.Address(op.Input));
            args.Add(CudaDevice.Address(dz));
            args.Add(CudaDevice.Address(op.WeightPartials));
            args.Add(CudaDevice.Address(op.BiasPartials));
            FilterGemm.Launch(cuda, d.Filters, (d.InputChannels * d.KernelSize * d.KernelSize) + 1, op.Batch, tile, ref args);
        }

        if (!op.InputGradient.IsEmpty)
        {
            var args = cuda.Arguments();
            args.Add(geometry);
            args.Add(CudaDevice.Address(op.Weights));
            args.Add(CudaDevice.Address(dz));
            args.Add(CudaDevice.Address(op.InputGradient));
            DataGemm.Launch(cuda, d.InputChannels, (long)op.Batch * d.InputHeight * d.InputWidth, 1, tile, ref args);
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
}
