// The dense block y = act(W x + b): forward and backward. Canonical orders: docs/numerics.md, "Dense block"
// and "Dot product". Compiled with -fmad=false; fma only as __fmaf_rn.
#include "common/reductions.cuh"
#include "common/batch_tree.cuh"

// One warp per (sample, output): lane l runs the fma chain over inputs j = l (mod 32), then the fold.
extern "C" __global__ void dense_forward(
    int batch, int inputs, int outputs, int relu,
    const float* __restrict__ x, const float* __restrict__ w, const float* __restrict__ b, float* __restrict__ y)
{
    long long warp = global_thread() / 32;
    int lane = threadIdx.x & 31;
    long long warps = grid_stride() / 32;
    long long total = (long long)batch * outputs;
    for (long long t = warp; t < total; t += warps)
    {
        int o = (int)(t % outputs);
        long long n = t / outputs;
        const float* xn = x + n * inputs;
        const float* wo = w + (long long)o * inputs;
        float s = 0.0f;
        for (int j = lane; j < inputs; j += 32)
        {
            s = __fmaf_rn(wo[j], xn[j], s);
        }
        s = fold32(s);
        if (lane == 0)
        {
            y[t] = activate(s + b[o], relu);
        }
    }
}

// One launch, three independent ranges of threads, with m = ceil(batch / BATCH_CHUNK) chunks of the batch
// (chunk j: samples [16j, min(16j + 16, batch))), whose partials the update joins in the batch tree:
//   [0, m*O*I)                 dW[j][o, i] = fma chain from +0 over n in chunk j of dz[n, o] * x[n, i]
//   [m*O*I, m*O*I + m*O)       db[j][o]    = sum from +0 over n in chunk j of dz[n, o]
//   [m*O*I + m*O, ... + N*I)   dx[n, i]    = fma chain from +0 over o of W[o, i] * dz[n, o]   (when dx is wanted)
// where dz is dy masked by ReLU through the block output y.
extern "C" __global__ void dense_backward(
    int batch, int inputs, int outputs, int relu,
    const float* __restrict__ x, const float* __restrict__ w, const float* __restrict__ y, const float* __restrict__ dy,
    float* __restrict__ dw, float* __restrict__ db, float* __restrict__ dx)
{
    long long weights = (long long)outputs * inputs;
    long long chunks = (batch - 1) / BATCH_CHUNK + 1;
    long long weight_partials = chunks * weights;
    long long bias_partials = chunks * outputs;
    long long total = weight_partials + bias_partials + (dx != nullptr ? (long long)batch * inputs : 0);
    for (long long t = global_thread(); t < total; t += grid_stride())
    {
        if (t < weight_partials)
        {
            long long j = t / weights;
            long long r = t - j * weights;
            int i = (int)(r % inputs);
            int o = (int)(r / inputs);
            int n0 = (int)(j * BATCH_CHUNK), n1 = min(n0 + BATCH_CHUNK, batch);
            float acc = 0.0f;
#pragma unroll 8
            for (int n = n0; n < n1; n++)
            {
                long long k = (long long)n * outputs + o;
                acc = __fmaf_rn(relu ? mask(y[k], dy[k], 1) : dy[k], x[(long long)n * inputs + i], acc);
            }
            dw[t] = acc;
        }
        else if (t < weight_partials + bias_partials)
        {
            long long u = t - weight_partials;
            int o = (int)(u % outputs);
            int n0 = (int)(u / outputs * BATCH_CHUNK), n1 = min(n0 + BATCH_CHUNK, batch);
            float acc = 0.0f;
            for (int n = n0; n < n1; n++)
            {
                long long k = (long long)n * outputs + o;
                acc = acc + (relu ? mask(y[k], dy[k], 1) : dy[k]);
            }
            db[u] = acc;
        }
        else
        {
            long long u = t - weight_partials - bias_partials;
            int i = (int)(u % inputs);
            long long n = u / inputs;
            float acc = 0.0f;
#pragma unroll 4
            for (int o = 0; o < outputs; o++)
            {
                long long k = n * outputs + o;
                acc = __fmaf_rn(w[(long long)o * inputs + i], relu ? mask(y[k], dy[k], 1) : dy[k], acc);
            }
            dx[u] = acc;
        }
    }
}

#define SMALL_OUTPUTS 16

// dense_backward for a head of at most SMALL_OUTPUTS outputs. A block owns 32 input features of one chunk of
// the batch and has a warp per output: lane l of warp o runs dW[j][o, i0 + l]'s chain over the chunk's samples
// (all BATCH_CHUNK loads in flight), so the block reads each input value from L2 once and its warps share it
// through L1. Then the block's threads run the dx chains of its features for the chunk's samples, from the
// staged weights and output gradients. The same chains as dense_backward; the blocks of feature 0 also
// compute their chunk's db. Blocks: (features / 32) per chunk, chunk-major.
// Dynamic shared memory (sized by the host): dz[BATCH_CHUNK][outputs], then w[outputs][32].
extern "C" __global__ void dense_backward_small(
    int batch, int inputs, int outputs, int relu,
    const float* __restrict__ x, const float* __restrict__ w, const float* __restrict__ y, const float* __restrict__ dy,
    float* __restrict__ dw, float* __restrict__ db, float* __restrict__ dx)
{
    extern __shared__ float staged[];
    float* dz = staged;
    float* ws = staged + BATCH_CHUNK * outputs;
    int lane = threadIdx.x & 31, o = threadIdx.x / 32;
    int feature_blocks = (inputs + 31) / 32;
    long long chunk = blockIdx.x / feature_blocks;
    int i0 = (int)(blockIdx.x % feature_blocks) * 32;
    int width = min(32, inputs - i0);
    int n0 = (int)(chunk * BATCH_CHUNK);
    int count = min(BATCH_CHUNK, batch - n0);
    const float* yc = y + (long long)n0 * outputs;
    const float* dyc = dy + (long long)n0 * outputs;
    for (int e = threadIdx.x; e < count * outputs; e += blockDim.x) dz[e] = relu ? mask(yc[e], dyc[e], 1) : dyc[e];
    for (int e = threadIdx.x; e < outputs * 32; e += blockDim.x)
    {
        int r = e / 32, c = e % 32;
        ws[e] = c < width ? w[(long long)r * inputs + i0 + c] : 0.0f;
    }
    __syncthreads();

    if (o < outputs && lane < width)
    {
        const float* xi = x + (long long)n0 * inputs + i0 + lane;
        float v[BATCH_CHUNK];
#pragma unroll
        for (int k = 0; k < BATCH_CHUNK; k++) v[k] = k < count ? xi[(long long)k * inputs] : 0.0f;
        float acc = 0.0f;
#pragma unroll
        for (int k = 0; k < BATCH_CHUNK; k++)
        {
            if (k < count) acc = __fmaf_rn(dz[k * outputs + o], v[k], acc);
        }
        dw[(chunk * outputs + o) * inputs + i0 + lane] = acc;
    }

    if (dx != nullptr)
    {
        for (int e = threadIdx.x; e < count * 32; e += blockDim.x)
        {
            int n = e / 32, c = e % 32;
            if (c >= width) continue;
            float acc = 0.0f;
            for (int k = 0; k < outputs; k++) acc = __fmaf_rn(ws[k * 32 + c], dz[n * outputs + k], acc);
            dx[(long long)(n0 + n) * inputs + i0 + c] = acc;
        }
    }

    if (i0 == 0)
    {
        for (int k = threadIdx.x; k < outputs; k += blockDim.x)
        {
            float acc = 0.0f;
            for (int n = 0; n < count; n++) acc = acc + dz[n * outputs + k];
            db[chunk * outputs + k] = acc;
        }
    }
}
