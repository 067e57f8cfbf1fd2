using CnnTrain.Devices;
using CnnTrain.Devices.Cuda;

namespace CnnTrain.Ops;

/// <summary>
/// Batch normalisation on the GPU (kernels/batch_norm.cu): a thread per (sample, channel) plane for the per-sample sums,
/// its positions staged through shared memory by the whole block; a thread per channel for each batch tree; a thread per
/// element for the elementwise passes.
/// </summary>
internal static class BatchNormCuda
{
    private static readonly CudaKernelName SampleSums = new("batch_norm", "batch_norm_sample_sums");
    private static readonly CudaKernelName Mean = new("batch_norm", "batch_norm_mean");
    private static readonly CudaKernelName SampleSquares = new("batch_norm", "batch_norm_sample_squares");
    private static readonly CudaKernelName Variance = new("batch_norm", "batch_norm_variance");
    private static readonly CudaKernelName Normalize = new("batch_norm", "batch_norm_normalize");
    private static readonly CudaKernelName Inference = new("batch_norm", "batch_norm_inference");
    private static readonly CudaKernelName Update = new("batch_norm", "batch_norm_update");
    private static readonly CudaKernelName Partials = new("batch_norm", "batch_norm_gradient_partials");
    private static readonly CudaKernelName Means = new("batch_norm", "batch_norm_gradient_means");
    private static readonly CudaKernelName InputGradient = new("batch_norm", "batch_norm_input_gradient");

    // The per-sample sums' blocks (PLANE_BLOCK = the launch's threads, PLANE_TILE in kernels/batch_norm.cu) and the
    // blocks below which fewer, longer planes per block pay: two per SM of an H200 (132 SMs).
    private const int PlaneBlock = (int)LaunchShape.Threads;
    private const int PlaneTile = 2048;
    private const long PlaneTargetBlocks = 264;

    public static void TrainingForward(CudaDevice cuda, in BatchNormTrainingForward op)
    {
        var shape = new CudaBatchNormShape(op.Descriptor, op.Batch);
        long planes = (long)op.Batch * op.Descriptor.Channels;
        int channels = op.Descriptor.Channels;
        LaunchPlanes(cuda, SampleSums, planes, shape, op.Input, op.Sums);
        Launch(cuda, Mean, channels, shape, op.Sums, op.Statistics);
        LaunchPlanes(cuda, SampleSquares, planes, shape, op.Input, op.Statistics, op.Sums);
        Launch(cuda, Variance, channels, shape, op.Sums, op.Statistics);
        Launch(cuda, Normalize, op.Output.Length, shape, op.Input, op.Gamma, op.Beta, op.Statistics, op.Output);
    }

    public static void InferenceForward(CudaDevice cuda, in BatchNormInferenceForward op) =>
        Launch(cuda, Inference, op.Output.Length, new CudaBatchNormShape(op.Descriptor, op.Batch), op.Input, op.Gamma, op.Beta, op.RunningMean, op.RunningVariance, op.Output);

    public static void UpdateStatistics(CudaDevice cuda, in BatchNormStatisticsUpdate op)
    {
        var args = cuda.Arguments();
        args.Add(new CudaBatchNormShape(op.Descriptor, 1));
        args.Add(CudaDevice.Address(op.Statistics));
        args.Add(CudaDevice.Address(op.RunningMean));
        args.Add(CudaDevice.Address(op.RunningVariance));
        args.Add(CudaDevice.Address(op.Guard));
        cuda.Launch(Update, LaunchShape.Blocks(op.Descriptor.Channels), LaunchShape.Block, ref args);
    }

    public static void Backward(CudaDevice cuda, in BatchNormBackward op)
    {
        var shape = new CudaBatchNormShape(op.Descriptor, op.Batch);
        long planes = (long)op.Batch * op.Descriptor.Channels;
        LaunchPlanes(cuda, Partials, planes, shape, op.Input, op.OutputGradient, op.Statistics, op.GammaPartials, op.BetaPartials);
        Launch(cuda, Means, 2L * op.Descriptor.Channels, shape, op.GammaPartials, op.BetaPartials, op.Means);
        if (!op.InputGradient.IsEmpty)
        {
            Launch(cuda, InputGradient, op.InputGradient.Length, shape, op.Input, op.OutputGradient, op.Gamma, op.Statistics, op.Means, op.InputGradient);
        }
    }

    /// <summary>
    /// The planes per block of the per-sample sums: <see cref="PlaneBlock"/> (tiles of 8 positions) unless that leaves
    /// fewer than <see cref="PlaneTargetBlocks"/> blocks while the planes are longer than a tile; then halved, doubling
    /// the tile's positions, down to 8 planes of 256 positions. The order of every sum is the same whatever it picks.
    /// </summary>
    internal static int PlaneRows(long planes, int positions)
    {
        int rows = PlaneBlock;
        while (rows > 8 && (planes + rows - 1) / rows < PlaneTargetBlocks && positions > PlaneTile / rows)
        {
            rows /= 2;
        }

        return rows;
    }

    // The per-sample sums: the shape, the planes per block, then the buffers; a block per group of planes.
    private static void LaunchPlanes(CudaDevice cuda, CudaKernelName kernel, long planes, in CudaBatchNormShape shape, params ReadOnlySpan<DeviceSlice<float>> buffers)
    {
        int rows = PlaneRows(planes, shape.Positions);
        var args = cuda.Arguments();
        args.Add(shape);
        args.Add(rows);
        foreach (DeviceSlice<float> b in buffers)
        {
            args.Add(CudaDevice.Address(b));
        }

        cuda.Launch(kernel, LaunchShape.Blocks(((planes + rows - 1) / rows) * LaunchShape.Threads), LaunchShape.Block, ref args);
    }

    // Every other kernel takes the shape, then its buffers in order, with a thread per work item in a grid-stride loop.
    private static void Launch(CudaDevice cuda, CudaKernelName kernel, long items, in CudaBatchNormShape shape, params ReadOnlySpan<DeviceSlice<float>> buffers)
    {
        var args = cuda.Arguments();
        args.Add(shape);
        foreach (DeviceSlice<float> b in buffers)
        {
            args.Add(CudaDevice.Address(b));
        }

        cuda.Launch(kernel, LaunchShape.Blocks(items), LaunchShape.Block, ref args);
    }
}
