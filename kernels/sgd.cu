// SGD with momentum and weight decay over several parameter tensors in one launch.
// Canonical order: docs/numerics.md, "Update". Compiled with -fmad=false; fma only as __fmaf_rn.
#include "common/reductions.cuh"

#define SGD_MAX_TENSORS 8

// Mirrors CudaSgdBatch in src/CnnTrain/Devices/Cuda/Kernels (passed by value as one kernel parameter).
struct SgdTensor
{
    float* values;
    const float* gradient;   // partial_count partials of `length` elements, end to end
    float* velocity;
    long long length;
    long long partial_count;
};

struct SgdBatch
{
    SgdTensor tensors[SGD_MAX_TENSORS];
    long long start[SGD_MAX_TENSORS + 1];   // prefix sums of the lengths
    int count;
    float momentum;
    float weight_decay;
    int padding;
};

extern "C" __global__ void sgd_update(SgdBatch batch, const float* __restrict__ learning_rate)
{
    float eta = learning_rate[0];
    long long total = batch.start[batch.count];
    for (long long t = global_thread(); t < total; t += grid_stride())
    {
        int k = 0;
        while (t >= batch.start[k + 1]) k++;
        const SgdTensor& tensor = batch.tensors[k];
        long long i = t - batch.start[k];
        float g = 0.0f;
#pragma unroll 8
        for (long long p = 0; p < tensor.partial_count; p++) g = g + tensor.gradient[p * tensor.length + i];
        float w = tensor.values[i];
        if (batch.weight_decay != 0.0f) g = __fmaf_rn(batch.weight_decay, w, g);
        float v = __fmaf_rn(batch.momentum, tensor.velocity[i], g);
        tensor.velocity[i] = v;
        tensor.values[i] = __fmaf_rn(-eta, v, w);
    }
}
