// Adam and AdamW over several parameter tensors in one launch. Canonical order: docs/numerics.md, "Adam and AdamW".
// Compiled with -fmad=false; fma only as __fmaf_rn, and every other operation an explicitly rounded one.
#include "common/batch_tree.cuh"

#define ADAM_MAX_TENSORS 8

// Mirrors CudaAdamBatch in src/CnnTrain/Optimizers/Adam (passed by value; a test compares the two layouts).
struct AdamTensor
{
    float* values;
    const float* gradient;   // partial_count partials of `length` elements, end to end
    float* first_moment;
    float* second_moment;
    long long length;
    long long partial_count;
    long long partials_per_chunk;   // BATCH_CHUNK (per-sample partials) or 1 (chunk partials)
};

struct AdamBatch
{
    AdamTensor tensors[ADAM_MAX_TENSORS];
    long long start[ADAM_MAX_TENSORS + 1];   // prefix sums of the blocks each tensor takes
    int count;
    float beta1;
    float beta2;
    float one_minus_beta1;
    float one_minus_beta2;
    float epsilon;
    float weight_decay;   // Adam's L2 term; 0 for AdamW
    int decoupled;        // AdamW: shrink the weight by scalars[2] first
};

__device__ __forceinline__ void adam_apply(const AdamBatch& batch, const AdamTensor& t, long long i, float g, const float* scalars)
{
    float w = t.values[i];
    if (batch.weight_decay != 0.0f) g = __fmaf_rn(batch.weight_decay, w, g);
    if (batch.decoupled) w = __fmul_rn(w, scalars[2]);
    float m = __fmaf_rn(batch.beta1, t.first_moment[i], __fmul_rn(batch.one_minus_beta1, g));
    float v = __fmaf_rn(batch.beta2, t.second_moment[i], __fmul_rn(batch.one_minus_beta2, __fmul_rn(g, g)));
    t.first_moment[i] = m;
    t.second_moment[i] = v;
    float d = __fmaf_rn(__fsqrt_rn(v), scalars[1], batch.epsilon);
    t.values[i] = __fmaf_rn(-scalars[0], __fdiv_rn(m, d), w);
}

// Blocks are dealt out per tensor as in sgd_update (tree_element). scalars: eta / (1 - beta1^t),
// 1 / sqrt(1 - beta2^t), and for AdamW 1 - eta * lambda.
// guard: nullptr, or the step guard (kernels/softmax_cross_entropy.cu): 0 skips the update.
template <int LEVELS>
__device__ __forceinline__ void adam_update_body(AdamBatch batch, const float* __restrict__ scalars, const int* __restrict__ guard)
{
    if (guard != nullptr && guard[0] == 0) return;
    int k;
    float g;
    long long i = tree_element<LEVELS>(batch.tensors, batch.start, k, g);
    if (i >= 0) adam_apply(batch, batch.tensors[k], i, g, scalars);
}

extern "C" __global__ void adam_update(AdamBatch batch, const float* __restrict__ scalars, const int* __restrict__ guard)
{
    adam_update_body<TREE_LEVELS>(batch, scalars, guard);
}

// The same for launches whose tensors all have fewer than 2^TREE_SHALLOW_LEVELS chunks.
extern "C" __global__ void adam_update_shallow(AdamBatch batch, const float* __restrict__ scalars, const int* __restrict__ guard)
{
    adam_update_body<TREE_SHALLOW_LEVELS>(batch, scalars, guard);
}
