using CnnTrain.Devices.Cuda;

namespace CnnTrain.Optimizers;

/// <summary>Adam and AdamW on the GPU (kernels/adam.cu): up to <see cref="CudaAdamBatch.MaxTensors"/> tensors per launch.</summary>
internal static class AdamCuda
{
    private static readonly CudaKernelName Kernel = new("adam", "adam_update");
    private static readonly CudaKernelName ShallowKernel = new("adam", "adam_update_shallow");

    public static void Run(CudaDevice cuda, in AdamUpdate op)
    {
        AdamRule rule = op.Rule;
        UpdateTensor[] tensors = op.Tensors;
        for (int first = 0; first < tensors.Length; first += CudaAdamBatch.MaxTensors)
        {
            int count = Math.Min(CudaAdamBatch.MaxTensors, tensors.Length - first);
            var batch = new CudaAdamBatch
            {
                Count = count, Beta1 = rule.Beta1, Beta2 = rule.Beta2, OneMinusBeta1 = rule.OneMinusBeta1, OneMinusBeta2 = rule.OneMinusBeta2,
                Epsilon = rule.Epsilon, WeightDecay = rule.L2, Decoupled = rule.Decoupled ? 1 : 0,
            };
            long blocks = 0;
            for (int i = 0; i < count; i++)
            {
                UpdateTensor t = tensors[first + i];
                batch.Start[i] = blocks;
                batch.Tensors[i] = new CudaAdamBatch.Tensor
                {
                    Values = CudaDevice.Address(t.Values),
                    Gradient = CudaDevice.Address(t.Gradient),
                    FirstMoment = CudaDevice.Address(t.State[0]),
                    SecondMoment = CudaDevice.Address(t.State[1]),
                    Length = t.Values.Length,
                    PartialCount = t.Partials.Count,
                    PartialsPerChunk = t.Partials.PerChunk,
                };
                blocks += CudaUpdateBlocks.For(t.Values.Length, t.Partials);
            }

            batch.Start[count] = blocks;
            if (blocks == 0)
            {
                continue;
            }

            var args = cuda.Arguments();
            args.Add(batch);
            args.Add(CudaDevice.Address(op.StepScalars));
            args.Add(CudaDevice.Address(op.Guard));
            bool shallow = CudaUpdateBlocks.Shallow(tensors.AsSpan(first, count));
            cuda.Launch(shallow ? ShallowKernel : Kernel, ((uint)blocks, 1, 1), (CudaUpdateBlocks.Threads, 1, 1), ref args);
        }
    }
}
