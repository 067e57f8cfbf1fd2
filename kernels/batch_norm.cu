// Batch normalisation: training statistics, normalisation, running statistics, backward pass. Canonical order:
// docs/numerics.md, "Batch normalisation". Compiled with -fmad=false; fma only as __fmaf_rn, square root and
// division correctly rounded (__fsqrt_rn, __fdiv_rn). Layout NCP: element (n, c, p) at (n * C + c) * P + p,
// per-sample values (n, c) at n * C + c; statistics: mean[C], inv[C], unbiased variance[C]; means: a[C], b[C].
#include "common/reductions.cuh"
#include "common/batch_tree_sum.cuh"

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

// S[n, c] = sum from +0 over positions of x.
extern "C" __global__ void batch_norm_sample_sums(BatchNormShape s, const float* __restrict__ x, float* __restrict__ sums)
{
    long long planes = (long long)s.batch * s.channels;
    for (long long t = global_thread(); t < planes; t += grid_stride())
    {
        const float* plane = x + t * s.positions;
        float sum = 0.0f;
        for (int p = 0; p < s.positions; p++) sum = sum + plane[p];
        sums[t] = sum;
    }
}

// mean[c] = tree(S[., c]) / M.
extern "C" __global__ void batch_norm_mean(BatchNormShape s, const float* __restrict__ sums, float* __restrict__ statistics)
{
    for (long long c = global_thread(); c < s.channels; c += grid_stride())
    {
        statistics[c] = __fdiv_rn(batch_tree_sum(sums + c, s.channels, s.batch), s.count);
    }
}

// D[n, c] = fma chain from +0 over positions of d * d, d = x - mean[c].
extern "C" __global__ void batch_norm_sample_squares(
    BatchNormShape s, const float* __restrict__ x, const float* __restrict__ statistics, float* __restrict__ sums)
{
    long long planes = (long long)s.batch * s.channels;
    for (long long t = global_thread(); t < planes; t += grid_stride())
    {
        const float* plane = x + t * s.positions;
        float mean = statistics[t % s.channels];
        float squares = 0.0f;
        for (int p = 0; p < s.positions; p++)
        {
            float d = plane[p] - mean;
            squares = __fmaf_rn(d, d, squares);
        }
        sums[t] = squares;
    }
}

// V = tree(D[., c]); inv[c] = 1 / sqrt(V / M + eps); unbiased[c] = V / (M - 1).
extern "C" __global__ void batch_norm_variance(BatchNormShape s, const float* __restrict__ sums, float* __restrict__ statistics)
{
    for (long long c = global_thread(); c < s.channels; c += grid_stride())
    {
        float total = batch_tree_sum(sums + c, s.channels, s.batch);
        statistics[s.channels + c] = __fdiv_rn(1.0f, __fsqrt_rn(__fdiv_rn(total, s.count) + s.epsilon));
        statistics[2 * s.channels + c] = __fdiv_rn(total, s.count_less_one);
    }
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
    long long total = (long long)s.batch * s.channels * s.positions;
    for (long long t = global_thread(); t < total; t += grid_stride())
    {
        int c = (int)((t / s.positions) % s.channels);
        y[t] = normalize(x[t], gamma[c], beta[c], statistics[c], statistics[s.channels + c]);
    }
}

// Evaluation: the same with the running mean and inv = 1 / sqrt(running variance + eps).
extern "C" __global__ void batch_norm_inference(
    BatchNormShape s, const float* __restrict__ x, const float* __restrict__ gamma, const float* __restrict__ beta,
    const float* __restrict__ running_mean, const float* __restrict__ running_variance, float* __restrict__ y)
{
    long long total = (long long)s.batch * s.channels * s.positions;
    for (long long t = global_thread(); t < total; t += grid_stride())
    {
        int c = (int)((t / s.positions) % s.channels);
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

// With xhat = (x - mean) * inv: Pb[n, c] = sum from +0 of dy, Pg[n, c] = fma chain from +0 of dy * xhat.
extern "C" __global__ void batch_norm_gradient_partials(
    BatchNormShape s, const float* __restrict__ x, const float* __restrict__ dy, const float* __restrict__ statistics,
    float* __restrict__ gamma_partials, float* __restrict__ beta_partials)
{
    long long planes = (long long)s.batch * s.channels;
    for (long long t = global_thread(); t < planes; t += grid_stride())
    {
        int c = (int)(t % s.channels);
        float mean = statistics[c], inv = statistics[s.channels + c];
        const float* xs = x + t * s.positions;
        const float* gs = dy + t * s.positions;
        float pb = 0.0f, pg = 0.0f;
        for (int p = 0; p < s.positions; p++)
        {
            pb = pb + gs[p];
            pg = __fmaf_rn(gs[p], (xs[p] - mean) * inv, pg);
        }
        beta_partials[t] = pb;
        gamma_partials[t] = pg;
    }
}

// a[c] = tree(Pb[., c]) / M, b[c] = tree(Pg[., c]) / M.
extern "C" __global__ void batch_norm_gradient_means(
    BatchNormShape s, const float* __restrict__ gamma_partials, const float* __restrict__ beta_partials, float* __restrict__ means)
{
    for (long long c = global_thread(); c < s.channels; c += grid_stride())
    {
        means[c] = __fdiv_rn(batch_tree_sum(beta_partials + c, s.channels, s.batch), s.count);
        means[s.channels + c] = __fdiv_rn(batch_tree_sum(gamma_partials + c, s.channels, s.batch), s.count);
    }
}

// dx = (gamma[c] * inv[c]) * fma(-xhat, b[c], dy - a[c]).
extern "C" __global__ void batch_norm_input_gradient(
    BatchNormShape s, const float* __restrict__ x, const float* __restrict__ dy, const float* __restrict__ gamma,
    const float* __restrict__ statistics, const float* __restrict__ means, float* __restrict__ dx)
{
    long long total = (long long)s.batch * s.channels * s.positions;
    for (long long t = global_thread(); t < total; t += grid_stride())
    {
        int c = (int)((t / s.positions) % s.channels);
        float inv = statistics[s.channels + c];
        float xhat = (x[t] - statistics[c]) * inv;
        dx[t] = (gamma[c] * inv) * __fmaf_rn(-xhat, means[s.channels + c], dy[t] - means[c]);
    }
}
