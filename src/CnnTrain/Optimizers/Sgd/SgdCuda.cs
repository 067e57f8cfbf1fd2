using CnnTrain.Devices.Cuda;

namespace CnnTrain.Optimizers;

/// <summary>SGD on the GPU (kernels/sgd.cu): up to <see cref="CudaSgdBatch.MaxTensors"/> tensors per launch.</summary>
internal static class SgdCuda
{
    private static readonly CudaKernelName Kernel = new("sgd", "sgd_update");
    private static readonly CudaKernelName ShallowKernel = new("sgd", "sgd_update_shallow");

    public static void Run(CudaDevice cuda, in SgdUpdate op)
    {
        UpdateTensor[] tensors = op.Tensors;
        for (int first = 0; first < tensors.Length; first += CudaSgdBatch.MaxTensors)
        {
            int count = Math.Min(CudaSgdBatch.MaxTensors, tensors.Length - first);
            var batch = new CudaSgdBatch
            {
                Count = count, Momentum = op.Settings.Momentum, WeightDecay = op.Settings.WeightDecay, Nesterov = op.Settings.Nesterov ? 1 : 0,
            };
            long blocks = 0;
            for (int i = 0; i < count; i++)
            {
                UpdateTensor t = tensors[first + i];
                batch.Start[i] = blocks;
                batch.Tensors[i] = new CudaSgdBatch.Tensor
                {
                    Values = CudaDevice.Address(t.Values),
                    Gradient = CudaDevice.Address(t.Gradient),
                    Velocity = CudaDevice.Address(t.State[0]),
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
            args.Add(CudaDevice.Address(op.LearningRate));
            args.Add(CudaDevice.Address(op.Guard));
            bool shallow = CudaUpdateBlocks.Shallow(tensors.AsSpan(first, count));
            cuda.Launch(shallow ? ShallowKernel : Kernel, ((uint)blocks, 1, 1), (CudaUpdateBlocks.Threads, 1, 1), ref args);
        }
    }
}
