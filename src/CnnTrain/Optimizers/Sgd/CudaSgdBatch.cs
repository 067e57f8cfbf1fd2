using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace CnnTrain.Optimizers;

/// <summary>
/// The kernels' <c>SgdBatch</c> (kernels/sgd.cu): up to <see cref="MaxTensors"/> tensors in one launch, passed
/// by value; <see cref="Start"/> holds each tensor's first block (<see cref="CudaUpdateBlocks"/>).
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal struct CudaSgdBatch
{
    public const int MaxTensors = 8;

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
        public long PartialsPerChunk;
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
