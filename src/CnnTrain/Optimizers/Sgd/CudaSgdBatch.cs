using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using CnnTrain.Devices.Cuda;

namespace CnnTrain.Optimizers;

/// <summary>
/// The kernels' <c>SgdBatch</c> (kernels/sgd.cu): up to <see cref="MaxTensors"/> tensors in one launch, passed
/// by value; <see cref="Start"/> holds each tensor's first block (<see cref="CudaUpdateBlocks"/>).
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal struct CudaSgdBatch : ICudaUpdateBatch
{
    public const int MaxTensors = 8;

    public TensorArray Tensors;
    public StartArray Start;
    public int Count;
    public float Momentum;
    public float WeightDecay;
    public int Nesterov;

    /// <inheritdoc />
    public void Set(int index, in UpdateTensor tensor, long firstBlock)
    {
        Start[index] = firstBlock;
        Tensors[index] = new Tensor
        {
            Values = CudaDevice.Address(tensor.Values),
            Gradient = CudaDevice.Address(tensor.Gradient),
            Velocity = CudaDevice.Address(tensor.State[0]),
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
