// Batch normalisation: training statistics, normalisation, running statistics, backward pass. Canonical order:
// docs/numerics.md, "Batch normalisation". Compiled with -fmad=false; fma only as __fmaf_rn, square root and
// division correctly rounded (__fsqrt_rn, __fdiv_rn). Layout NCP: element (n, c, p) at (n * C + c) * P + p,
// per-sample values (n, c) at n * C + c; statistics: mean[C], inv[C], unbiased variance[C]; means: a[C], b[C].
// Every buffer holds fewer than 2^31 elements (a device slice's length is an int), so element indices are 32-bit.
#include "common/reductions.cuh"
#include "common/batch_tree.cuh"

// Mirrors CudaBatchNormShape in src/CnnTrain/Ops/BatchNorm (passed by value; a test compares the two layouts).
struct BatchNormShape
{
    int batch;
    int channels;
    int positions;
    float count;            // M = batch * positions, converted to float once
    float count_less_one;   // M - 1
    float epsilon;
    float momentum;
    float keep;             // 1 - momentum, rounded once on the host
};

// ---- per-sample sums over a plane ---------------------------------------------------------------------------------
// Each per-sample value (S, D, Pb, Pg of plane (n, c)) is one serial chain from +0 over the plane's positions in
// ascending order, so the parallelism is across planes: a thread per plane keeps its chain, and many chains run side
// by side. A block of PLANE_BLOCK threads takes `rows` consecutive planes (a power of two from 8 to PLANE_BLOCK, picked
// by the launcher: fewer planes per block when planes are few and long, so that more blocks share the work and each
// round stages more positions) and walks their positions in tiles of `width` = PLANE_TILE / rows: all threads load a
// tile coalesced (consecutive threads on consecutive positions of a plane, or on consecutive planes where a plane is
// shorter than a tile, its whole span then being contiguous) into shared memory, PLANE_TILE / PLANE_BLOCK independent
// loads each, then the first `rows` threads extend their chains over the tile's row. Rows are padded to an odd stride,
// so the row reads are free of bank conflicts.
#define PLANE_BLOCK 256
#define PLANE_TILE 2048
#define PLANE_LOADS (PLANE_TILE / PLANE_BLOCK)
#define PLANE_SHARED (PLANE_TILE + PLANE_BLOCK)

struct PlaneTiles
{
    int rows;     // planes per block
    int width;    // positions per full tile: PLANE_TILE / rows, a power of two
    int shift;    // log2(width)
    int stride;   // width + 1, a row's stride in shared memory

    __device__ __forceinline__ PlaneTiles(int planes_per_block)
    {
        rows = planes_per_block;
        width = PLANE_TILE / rows;
        shift = __ffs(width) - 1;
        stride = width + 1;
    }
};

// Stages positions [p0, p0 + cols) of planes [first, first + here) of `source` (planes of `positions` elements) into
// `tile`, plane j's row at j * stride. Every thread of the block calls it.
__device__ __forceinline__ void stage_planes(
    float* tile, const float* __restrict__ source, int positions, long long first, int here, int p0, int cols, const PlaneTiles& t)
{
    const float* base = source + first * positions + p0;
    int count = here * cols;
    float v[PLANE_LOADS];
    int at[PLANE_LOADS];
#pragma unroll
    for (int k = 0; k < PLANE_LOADS; k++)
    {
        int i = threadIdx.x + k * PLANE_BLOCK;
        int j = cols == t.width ? i >> t.shift : i / cols;
        int q = i - j * cols;
        at[k] = i < count ? j * t.stride + q : -1;
        v[k] = i < count ? base[(long long)j * positions + q] : 0.0f;
    }
#pragma unroll
    for (int k = 0; k < PLANE_LOADS; k++)
    {
        if (at[k] >= 0) tile[at[k]] = v[k];
    }
}

// The block's walk over its planes: for each group of `rows` planes, `begin(plane)` for the threads that own one,
// then per tile `extend(row, cols)` (row: the thread's staged positions), then `end(plane)`. Two sources are staged
// side by side when `second` is given.
template <typename Chain>
__device__ __forceinline__ void walk_planes(const BatchNormShape& s, int rows, const float* __restrict__ first_source,
                                            const float* __restrict__ second_source, Chain& chain)
{
    __shared__ float tile_a[PLANE_SHARED];
    __shared__ float tile_b[PLANE_SHARED];
    PlaneTiles t(rows);
    long long planes = (long long)s.batch * s.channels;
    for (long long first = (long long)blockIdx.x * rows; first < planes; first += (long long)gridDim.x * rows)
    {
        int here = (int)min((long long)rows, planes - first);
        bool owner = threadIdx.x < here;
        long long plane = first + threadIdx.x;
        if (owner) chain.begin(plane);
        for (int p0 = 0; p0 < s.positions; p0 += t.width)
        {
            int cols = min(t.width, s.positions - p0);
            __syncthreads();   // the previous tile has been read
            stage_planes(tile_a, first_source, s.positions, first, here, p0, cols, t);
            if (second_source != nullptr) stage_planes(tile_b, second_source, s.positions, first, here, p0, cols, t);
            __syncthreads();
            if (owner) chain.extend(tile_a + threadIdx.x * t.stride, tile_b + threadIdx.x * t.stride, cols);
        }
        if (owner) chain.end(plane);
    }
}

// S[n, c] = sum from +0 over positions of x.
struct SumChain
{
    float* sums;
    float sum;
    __device__ __forceinline__ void begin(long long) { sum = 0.0f; }
    __device__ __forceinline__ void extend(const float* x, const float*, int cols)
    {
#pragma unroll 8
        for (int q = 0; q < cols; q++) sum = sum + x[q];
    }
    __device__ __forceinline__ void end(long long plane) { sums[plane] = sum; }
};

extern "C" __global__ void __launch_bounds__(PLANE_BLOCK) batch_norm_sample_sums(
    BatchNormShape s, int rows, const float* __restrict__ x, float* __restrict__ sums)
{
    SumChain chain{sums, 0.0f};
    walk_planes(s, rows, x, nullptr, chain);
}

// D[n, c] = fma chain from +0 over positions of d * d, d = x - mean[c].
struct SquareChain
{
    const float* statistics;
    float* sums;
    int channels;
    float mean, squares;
    __device__ __forceinline__ void begin(long long plane)
    {
        mean = statistics[plane % channels];
        squares = 0.0f;
    }
    __device__ __forceinline__ void extend(const float* x, const float*, int cols)
    {
#pragma unroll 8
        for (int q = 0; q < cols; q++)
        {
            float d = x[q] - mean;
            squares = __fmaf_rn(d, d, squares);
        }
    }
    __device__ __forceinline__ void end(long long plane) { sums[plane] = squares; }
};

extern "C" __global__ void __launch_bounds__(PLANE_BLOCK) batch_norm_sample_squares(
    BatchNormShape s, int rows, const float* __restrict__ x, const float* __restrict__ statistics, float* __restrict__ sums)
{
    SquareChain chain{statistics, sums, s.channels, 0.0f, 0.0f};
    walk_planes(s, rows, x, nullptr, chain);
}

// With xhat = (x - mean) * inv: Pb[n, c] = sum from +0 of dy, Pg[n, c] = fma chain from +0 of dy * xhat.
struct GradientChain
{
    const float* statistics;
    float* gamma_partials;
    float* beta_partials;
    int channels;
    float mean, inv, pb, pg;
    __device__ __forceinline__ void begin(long long plane)
    {
        int c = (int)(plane % channels);
        mean = statistics[c];
        inv = statistics[channels + c];
        pb = 0.0f;
        pg = 0.0f;
    }
    __device__ __forceinline__ void extend(const float* x, const float* dy, int cols)
    {
#pragma unroll 8
        for (int q = 0; q < cols; q++)
        {
            pb = pb + dy[q];
            pg = __fmaf_rn(dy[q], (x[q] - mean) * inv, pg);
        }
    }
    __device__ __forceinline__ void end(long long plane)
    {
        beta_partials[plane] = pb;
        gamma_partials[plane] = pg;
    }
};

extern "C" __global__ void __launch_bounds__(PLANE_BLOCK) batch_norm_gradient_partials(
    BatchNormShape s, int rows, const float* __restrict__ x, const float* __restrict__ dy, const float* __restrict__ statistics,
    float* __restrict__ gamma_partials, float* __restrict__ beta_partials)
{
    GradientChain chain{statistics, gamma_partials, beta_partials, s.channels, 0.0f, 0.0f, 0.0f, 0.0f};
    walk_planes(s, rows, x, dy, chain);
}

// ---- trees over the samples: a thread per channel (consecutive threads read consecutive channels) ----------------
// tree_gradient_of_element (common/batch_tree.cuh) is the batch tree with its stack of subtrees in registers; its
// shallow stack serves batches of fewer than 2^TREE_SHALLOW_LEVELS chunks (the branch is uniform over the grid).
__device__ __forceinline__ float channel_tree(const BatchNormShape& s, const float* __restrict__ values, int c)
{
    return s.batch < (BATCH_CHUNK << TREE_SHALLOW_LEVELS)
        ? tree_gradient_of_element<TREE_SHALLOW_LEVELS>(values + c, s.channels, s.batch, BATCH_CHUNK)
        : tree_gradient_of_element<TREE_LEVELS>(values + c, s.channels, s.batch, BATCH_CHUNK);
}

// mean[c] = tree(S[., c]) / M.
extern "C" __global__ void batch_norm_mean(BatchNormShape s, const float* __restrict__ sums, float* __restrict__ statistics)
{
    for (long long c = global_thread(); c < s.channels; c += grid_stride())
    {
        statistics[c] = __fdiv_rn(channel_tree(s, sums, (int)c), s.count);
    }
}

// V = tree(D[., c]); inv[c] = 1 / sqrt(V / M + eps); unbiased[c] = V / (M - 1).
extern "C" __global__ void batch_norm_variance(BatchNormShape s, const float* __restrict__ sums, float* __restrict__ statistics)
{
    for (long long c = global_thread(); c < s.channels; c += grid_stride())
    {
        float total = channel_tree(s, sums, (int)c);
        statistics[s.channels + c] = __fdiv_rn(1.0f, __fsqrt_rn(__fdiv_rn(total, s.count) + s.epsilon));
        statistics[2 * s.channels + c] = __fdiv_rn(total, s.count_less_one);
    }
}

// a[c] = tree(Pb[., c]) / M, b[c] = tree(Pg[., c]) / M: thread k < C takes a[k], thread C + k takes b[k].
extern "C" __global__ void batch_norm_gradient_means(
    BatchNormShape s, const float* __restrict__ gamma_partials, const float* __restrict__ beta_partials, float* __restrict__ means)
{
    for (long long k = global_thread(); k < 2LL * s.channels; k += grid_stride())
    {
        int c = (int)(k % s.channels);
        means[k] = __fdiv_rn(channel_tree(s, k < s.channels ? beta_partials : gamma_partials, c), s.count);
    }
}

// ---- elementwise passes: a thread per element ---------------------------------------------------------------------
// Channel of element t: (t / P) % C in 32-bit arithmetic (64-bit division costs several times more per element).
__device__ __forceinline__ unsigned channel_of(const BatchNormShape& s, unsigned t)
{
    unsigned plane = s.positions == 1 ? t : t / (unsigned)s.positions;
    return plane % (unsigned)s.channels;
}

__device__ __forceinline__ unsigned element_count(const BatchNormShape& s)
{
    return (unsigned)s.batch * (unsigned)s.channels * (unsigned)s.positions;
}

__device__ __forceinline__ float normalize(float x, float gamma, float beta, float mean, float inv)
{
    return __fmaf_rn(gamma, (x - mean) * inv, beta);
}

// y = fma(gamma[c], (x - mean[c]) * inv[c], beta[c]) with the batch's statistics.
extern "C" __global__ void batch_norm_normalize(
    BatchNormShape s, const float* __restrict__ x, const float* __restrict__ gamma, const float* __restrict__ beta,
    const float* __restrict__ statistics, float* __restrict__ y)
{
    unsigned total = element_count(s);
    for (unsigned t = (unsigned)global_thread(); t < total; t += (unsigned)grid_stride())
    {
        unsigned c = channel_of(s, t);
        y[t] = normalize(x[t], gamma[c], beta[c], statistics[c], statistics[s.channels + c]);
    }
}

// Evaluation: the same with the running mean and inv = 1 / sqrt(running variance + eps).
extern "C" __global__ void batch_norm_inference(
    BatchNormShape s, const float* __restrict__ x, const float* __restrict__ gamma, const float* __restrict__ beta,
    const float* __restrict__ running_mean, const float* __restrict__ running_variance, float* __restrict__ y)
{
    unsigned total = element_count(s);
    for (unsigned t = (unsigned)global_thread(); t < total; t += (unsigned)grid_stride())
    {
        unsigned c = channel_of(s, t);
        float inv = __fdiv_rn(1.0f, __fsqrt_rn(running_variance[c] + s.epsilon));
        y[t] = normalize(x[t], gamma[c], beta[c], running_mean[c], inv);
    }
}

// r = fma(keep, r, momentum * batch value) for the mean and the unbiased variance; guard: nullptr, or the step
// guard (kernels/softmax_cross_entropy.cu), 0 skips the update.
extern "C" __global__ void batch_norm_update(
    BatchNormShape s, const float* __restrict__ statistics, float* __restrict__ running_mean, float* __restrict__ running_variance,
    const int* __restrict__ guard)
{
    if (guard != nullptr && guard[0] == 0) return;
    for (long long c = global_thread(); c < s.channels; c += grid_stride())
    {
        running_mean[c] = __fmaf_rn(s.keep, running_mean[c], s.momentum * statistics[c]);
        running_variance[c] = __fmaf_rn(s.keep, running_variance[c], s.momentum * statistics[2 * s.channels + c]);
    }
}

// dx = (gamma[c] * inv[c]) * fma(-xhat, b[c], dy - a[c]).
extern "C" __global__ void batch_norm_input_gradient(
    BatchNormShape s, const float* __restrict__ x, const float* __restrict__ dy, const float* __restrict__ gamma,
    const float* __restrict__ statistics, const float* __restrict__ means, float* __restrict__ dx)
{
    unsigned total = element_count(s);
    for (unsigned t = (unsigned)global_thread(); t < total; t += (unsigned)grid_stride())
    {
        unsigned c = channel_of(s, t);
        float inv = statistics[s.channels + c];
        float xhat = (x[t] - statistics[c]) * inv;
        dx[t] = (gamma[c] * inv) * __fmaf_rn(-xhat, means[s.channels + c], dy[t] - means[c]);
    }
}
