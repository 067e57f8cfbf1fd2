using System.Reflection;
using CnnTrain.Devices.Cuda.Interop;

namespace CnnTrain.Devices.Cuda.Kernels;

/// <summary>
/// The library's kernels: the PTX compiled from kernels/*.cu, embedded in this assembly as resources
/// "CnnTrain.Kernels.&lt;file&gt;.ptx", loaded into one module per file for a context.
/// </summary>
internal sealed class CudaKernelSet : IDisposable
{
    private readonly List<CudaModule> _modules = [];

    public CudaKernelSet(CudaContext context)
    {
        try
        {
            CudaModule convolution = Load(context, "convolution");
            Convolution2DForward = convolution.GetKernel("conv2d_forward");
            Convolution2DForward3x3 = convolution.GetKernel("conv2d_forward_k3");
            Convolution2DForwardPooled3x3 = convolution.GetKernel("conv2d_forward_pool2_k3");
            Convolution2DBackwardFilterWinners = convolution.GetKernel("conv2d_backward_filter_winners");
            Convolution2DBackwardFilter = convolution.GetKernel("conv2d_backward_filter");
            Convolution2DBackwardData = convolution.GetKernel("conv2d_backward_data");
            CudaModule dense = Load(context, "dense");
            DenseForward = dense.GetKernel("dense_forward");
            DenseBackward = dense.GetKernel("dense_backward");
            DenseBackwardSmall = dense.GetKernel("dense_backward_small");
            CudaModule softmax = Load(context, "softmax_cross_entropy");
            SoftmaxCrossEntropy = softmax.GetKernel("softmax_cross_entropy");
            SoftmaxCrossEntropyWarp = softmax.GetKernel("softmax_cross_entropy_warp");
            SgdUpdate = Load(context, "sgd").GetKernel("sgd_update");
            CudaModule pooling = Load(context, "pooling");
            MaxPool2DForward = pooling.GetKernel("max_pool2d_forward");
            MaxPool2DBackward = pooling.GetKernel("max_pool2d_backward");
            CudaModule activation = Load(context, "activation");
            ReluForward = activation.GetKernel("relu_forward");
            ReluBackward = activation.GetKernel("relu_backward");
            GatherRows32 = Load(context, "memory").GetKernel("gather_rows32");
            DeterministicMathProbe = Load(context, "deterministic_math_probe").GetKernel("deterministic_math_probe");
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public CudaKernel Convolution2DForward { get; } = null!;

    /// <summary>The forward kernel with 3x3 filters unrolled; same arithmetic as <see cref="Convolution2DForward"/>.</summary>
    public CudaKernel Convolution2DForward3x3 { get; } = null!;

    /// <summary>The forward kernel for 3x3 filters, unit stride, no padding and a 2x2/2 pool (the study's block).</summary>
    public CudaKernel Convolution2DForwardPooled3x3 { get; } = null!;

    public CudaKernel Convolution2DBackwardFilter { get; } = null!;

    /// <summary>The filter-gradient kernel that walks only pool winners (no padding, windows that do not overlap).</summary>
    public CudaKernel Convolution2DBackwardFilterWinners { get; } = null!;

    public CudaKernel Convolution2DBackwardData { get; } = null!;

    public CudaKernel DenseForward { get; } = null!;

    public CudaKernel DenseBackward { get; } = null!;

    /// <summary>Dense backward for heads of up to <see cref="DenseKernels.SmallOutputs"/> outputs.</summary>
    public CudaKernel DenseBackwardSmall { get; } = null!;

    public CudaKernel SoftmaxCrossEntropy { get; } = null!;

    /// <summary>Softmax cross-entropy with a warp per sample, for up to 32 classes.</summary>
    public CudaKernel SoftmaxCrossEntropyWarp { get; } = null!;

    public CudaKernel SgdUpdate { get; } = null!;

    public CudaKernel MaxPool2DForward { get; } = null!;

    public CudaKernel MaxPool2DBackward { get; } = null!;

    public CudaKernel ReluForward { get; } = null!;

    public CudaKernel ReluBackward { get; } = null!;

    public CudaKernel GatherRows32 { get; } = null!;

    public CudaKernel DeterministicMathProbe { get; } = null!;

    /// <summary>The PTX text of one kernel file, as embedded.</summary>
    public static string Ptx(string file)
    {
        string name = $"CnnTrain.Kernels.{file}.ptx";
        using Stream stream = typeof(CudaKernelSet).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"The assembly lacks the embedded PTX resource {name}.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    public void Dispose()
    {
        foreach (CudaModule module in _modules)
        {
            module.Dispose();
        }

        _modules.Clear();
    }

    private CudaModule Load(CudaContext context, string file)
    {
        CudaModule module = CudaModule.Load(context, Ptx(file));
        _modules.Add(module);
        return module;
    }
}
