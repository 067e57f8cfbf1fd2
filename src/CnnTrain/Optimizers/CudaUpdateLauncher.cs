using CnnTrain.Devices.Cuda;

namespace CnnTrain.Optimizers;

/// <summary>A CUDA update kernel's argument struct (<see cref="CudaSgdBatch"/>, <see cref="CudaAdamBatch"/>): its tensor slots.</summary>
internal interface ICudaUpdateBatch
{
    /// <summary>Fills slot <paramref name="index"/> with <paramref name="tensor"/>, whose blocks start at <paramref name="firstBlock"/>.</summary>
    void Set(int index, in UpdateTensor tensor, long firstBlock);

    /// <summary>Closes the batch after <paramref name="count"/> tensors taking <paramref name="blocks"/> blocks in all.</summary>
    void End(int count, long blocks);
}

/// <summary>
/// The launch loop sgd_update and adam_update share: tensors in batches of <c>maxTensors</c>, each tensor's blocks dealt
/// by <see cref="CudaUpdateBlocks"/>, the shallow variant where every tensor of a batch allows it.
/// </summary>
internal static class CudaUpdateLauncher
{
    public static void Run<TBatch>(
        CudaDevice cuda, UpdateTensor[] tensors, TBatch settings, int maxTensors, CudaKernelName kernel, CudaKernelName shallowKernel,
        ulong scalars, ulong guard)
        where TBatch : unmanaged, ICudaUpdateBatch
    {
        for (int first = 0; first < tensors.Length; first += maxTensors)
        {
            int count = Math.Min(maxTensors, tensors.Length - first);
            TBatch batch = settings;
            long blocks = 0;
            for (int i = 0; i < count; i++)
            {
                UpdateTensor t = tensors[first + i];
                batch.Set(i, t, blocks);
                blocks += CudaUpdateBlocks.For(t.Values.Length, t.Partials);
            }

            batch.End(count, blocks);
            if (blocks == 0)
            {
                continue;
            }

            var args = cuda.Arguments();
            args.Add(batch);
            args.Add(scalars);
            args.Add(guard);
            bool shallow = CudaUpdateBlocks.Shallow(tensors.AsSpan(first, count));
            cuda.Launch(shallow ? shallowKernel : kernel, ((uint)blocks, 1, 1), (CudaUpdateBlocks.Threads, 1, 1), ref args);
        }
    }
}
