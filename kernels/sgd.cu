// SGD with momentum, weight decay and optionally Nesterov momentum over several parameter tensors in one launch.
// Canonical order: docs/numerics.md, "SGD". Compiled with -fmad=false; fma only as __fmaf_rn.
#include "common/batch_tree.cuh"

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
    long long partials_per_chunk;   // BATCH_CHUNK (per-sample partials) or 1 (chunk partials)
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

__device__ __forceinline__ void sgd_apply(const SgdBatch& batch, const SgdTensor& tensor, long long i, float g, float eta)
{
    float w = tensor.values[i];
    if (batch.weight_decay != 0.0f) g = __fmaf_rn(batch.weight_decay, w, g);
    float v = __fmaf_rn(batch.momentum, tensor.velocity[i], g);
    tensor.velocity[i] = v;
    float step = batch.nesterov ? __fmaf_rn(batch.momentum, v, g) : v;
    tensor.values[i] = __fmaf_rn(-eta, step, w);
}

// Blocks are dealt out per tensor (tree_element, common/batch_tree.cuh; the host's CudaUpdateBlocks).
// guard: nullptr, or the step guard (kernels/softmax_cross_entropy.cu): 0 skips the update.
template <int LEVELS>
__device__ __forceinline__ void sgd_update_body(SgdBatch batch, const float* __restrict__ learning_rate, const int* __restrict__ guard)
{
    if (guard != nullptr && guard[0] == 0) return;
    int k;
    float g;
    long long i = tree_element<LEVELS>(batch.tensors, batch.start, k, g);
    if (i >= 0) sgd_apply(batch, batch.tensors[k], i, g, learning_rate[0]);
}

extern "C" __global__ void sgd_update(SgdBatch batch, const float* __restrict__ learning_rate, const int* __restrict__ guard)
{
    sgd_update_body<TREE_LEVELS>(batch, learning_rate, guard);
}

// The same for launches whose tensors all have fewer than 2^TREE_SHALLOW_LEVELS chunks.
extern "C" __global__ void sgd_update_shallow(SgdBatch batch, const float* __restrict__ learning_rate, const int* __restrict__ guard)
{
    sgd_update_body<TREE_SHALLOW_LEVELS>(batch, learning_rate, guard);
}
