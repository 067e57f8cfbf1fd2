using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace CnnTrain.Optimizers;

/// <summary>
/// The kernels' <c>SgdBatch</c> (kernels/sgd.cu): up to <see cref="MaxTensors"/> tensors in one launch, passed
/// by value; <see cref="Start"/> holds each tensor's first block.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal struct CudaSgdBatch
{
    public const int MaxTensors = 8;

    /// <summary>Threads per block of sgd_update.</summary>
    public const uint Threads = 256;

    /// <summary>Elements per block for a tensor of per-sample partials (the kernel's SGD_COLUMNS).</summary>
    private const int PartialColumns = 32;

    /// <summary>The blocks sgd_update deals to a tensor: a thread per element, or 32 elements per block when partials are summed.</summary>
    public static long BlocksFor(long length, int partialCount) =>
        partialCount == 1 ? (length + Threads - 1) / Threads : (length + PartialColumns - 1) / PartialColumns;

    public TensorArray Tensors;
    public StartArray Start;
    public int Count;
    public float Momentum;
    public float WeightDecay;
    public int Nesterov;

    [StructLayout(LayoutKind.Sequential)]
    public struct Tensor
    {
        public ulong Values;
        public ulong Gradient;
        public ulong Velocity;
        public long Length;
        public long PartialCount;
    }

    [InlineArray(MaxTensors)]
    public struct TensorArray
    {
        private Tensor _element;
    }

    [InlineArray(MaxTensors + 1)]
    public struct StartArray
    {
        private long _element;
    }
}
