// SGD with momentum, weight decay and optionally Nesterov momentum over several parameter tensors in one launch.
// Canonical order: docs/numerics.md, "SGD". Compiled with -fmad=false; fma only as __fmaf_rn.
#include "common/reductions.cuh"

#define SGD_MAX_TENSORS 8

// Mirrors CudaSgdBatch in src/CnnTrain/Optimizers/Sgd (passed by value as one kernel parameter; a test
// compares the two layouts).
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
    long long start[SGD_MAX_TENSORS + 1];   // prefix sums of the blocks each tensor takes
    int count;
    float momentum;
    float weight_decay;
    int nesterov;
};

#define SGD_COLUMNS 32
#define SGD_ROWS 256

__device__ __forceinline__ void sgd_apply(const SgdBatch& batch, const SgdTensor& tensor, long long i, float g, float eta)
{
    float w = tensor.values[i];
    if (batch.weight_decay != 0.0f) g = __fmaf_rn(batch.weight_decay, w, g);
    float v = __fmaf_rn(batch.momentum, tensor.velocity[i], g);
    tensor.velocity[i] = v;
    float step = batch.nesterov ? __fmaf_rn(batch.momentum, v, g) : v;
    tensor.values[i] = __fmaf_rn(-eta, step, w);
}

// Blocks are dealt out per tensor (batch.start holds block offsets here, see CudaSgdBatch): a tensor with
// one gradient gets a thread per element; a tensor of per-sample partials gets SGD_COLUMNS elements per
// block, whose partials the whole block loads into shared memory at once (SGD_ROWS partials per round),
// so that one thread per element then sums them from +0 in ascending order without waiting on memory.
// guard: nullptr, or the step guard (kernels/softmax_cross_entropy.cu): 0 skips the update.
extern "C" __global__ void sgd_update(SgdBatch batch, const float* __restrict__ learning_rate, const int* __restrict__ guard)
{
    if (guard != nullptr && guard[0] == 0) return;
    __shared__ float rows[SGD_ROWS][SGD_COLUMNS + 1];
    float eta = learning_rate[0];
    int k = 0;
    while (blockIdx.x >= batch.start[k + 1]) k++;
    const SgdTensor& tensor = batch.tensors[k];
    long long block = blockIdx.x - batch.start[k];
    if (tensor.partial_count == 1)
    {
        long long i = block * blockDim.x + threadIdx.x;
        if (i < tensor.length) sgd_apply(batch, tensor, i, 0.0f + tensor.gradient[i], eta);
        return;
    }

    long long first = block * SGD_COLUMNS;
    int columns = (int)min((long long)SGD_COLUMNS, tensor.length - first);
    float g = 0.0f;
    for (long long p0 = 0; p0 < tensor.partial_count; p0 += SGD_ROWS)
    {
        int count = (int)min((long long)SGD_ROWS, tensor.partial_count - p0);
        __syncthreads();
        for (int e = threadIdx.x; e < count * SGD_COLUMNS; e += blockDim.x)
        {
            int r = e / SGD_COLUMNS, c = e % SGD_COLUMNS;
            if (c < columns) rows[r][c] = tensor.gradient[(p0 + r) * tensor.length + first + c];
        }
        __syncthreads();
        if (threadIdx.x < columns)
        {
#pragma unroll 8
            for (int r = 0; r < count; r++) g = g + rows[r][threadIdx.x];
        }
    }
    if (threadIdx.x < columns) sgd_apply(batch, tensor, first + threadIdx.x, g, eta);
}
