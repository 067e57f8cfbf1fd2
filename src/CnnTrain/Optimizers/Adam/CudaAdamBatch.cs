using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using CnnTrain.Devices.Cuda;

namespace CnnTrain.Optimizers;

/// <summary>
/// The kernel's <c>AdamBatch</c> (kernels/adam.cu): up to <see cref="MaxTensors"/> tensors in one launch, passed by value;
/// <see cref="Start"/> holds each tensor's first block (<see cref="CudaUpdateBlocks"/>). A test compares the layouts.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal struct CudaAdamBatch : ICudaUpdateBatch
{
    public const int MaxTensors = 8;

    public TensorArray Tensors;
    public StartArray Start;
    public int Count;
    public float Beta1;
    public float Beta2;
    public float OneMinusBeta1;
    public float OneMinusBeta2;
    public float Epsilon;
    public float WeightDecay;
    public int Decoupled;

    /// <inheritdoc />
    public void Set(int index, in UpdateTensor tensor, long firstBlock)
    {
        Start[index] = firstBlock;
        Tensors[index] = new Tensor
        {
            Values = CudaDevice.Address(tensor.Values),
            Gradient = CudaDevice.Address(tensor.Gradient),
            FirstMoment = CudaDevice.Address(tensor.State[0]),
            SecondMoment = CudaDevice.Address(tensor.State[1]),
            Length = tensor.Values.Length,
            PartialCount = tensor.Partials.Count,
            PartialsPerChunk = tensor.Partials.PerChunk,
        };
    }

    /// <inheritdoc />
    public void End(int count, long blocks)
    {
        Count = count;
        Start[count] = blocks;
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct Tensor
    {
        public ulong Values;
        public ulong Gradient;
        public ulong FirstMoment;
        public ulong SecondMoment;
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
