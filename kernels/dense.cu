// The dense block y = act(W x + b): forward and backward. Canonical orders: docs/numerics.md, "Dense block"
// and "Dot product". Compiled with -fmad=false; fma only as __fmaf_rn.
#include "common/reductions.cuh"

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

// One launch, three independent ranges of threads:
//   [0, O*I)            dW[o, i] = fma chain from +0 over n of dz[n, o] * x[n, i]
//   [O*I, O*I + O)      db[o]    = sum from +0 over n of dz[n, o]
//   [O*I + O, ... + N*I) dx[n, i] = fma chain from +0 over o of W[o, i] * dz[n, o]   (when dx is wanted)
// where dz is dy masked by ReLU through the block output y.
extern "C" __global__ void dense_backward(
    int batch, int inputs, int outputs, int relu,
    const float* __restrict__ x, const float* __restrict__ w, const float* __restrict__ y, const float* __restrict__ dy,
    float* __restrict__ dw, float* __restrict__ db, float* __restrict__ dx)
{
    long long weights = (long long)outputs * inputs;
    long long total = weights + outputs + (dx != nullptr ? (long long)batch * inputs : 0);
    for (long long t = global_thread(); t < total; t += grid_stride())
    {
        if (t < weights)
        {
            int i = (int)(t % inputs);
            int o = (int)(t / inputs);
            float acc = 0.0f;
#pragma unroll 8
            for (int n = 0; n < batch; n++)
            {
                long long k = (long long)n * outputs + o;
                acc = __fmaf_rn(relu ? mask(y[k], dy[k], 1) : dy[k], x[(long long)n * inputs + i], acc);
            }
            dw[t] = acc;
        }
        else if (t < weights + outputs)
        {
            int o = (int)(t - weights);
            float acc = 0.0f;
            for (int n = 0; n < batch; n++)
            {
                long long k = (long long)n * outputs + o;
                acc = acc + (relu ? mask(y[k], dy[k], 1) : dy[k]);
            }
            db[o] = acc;
        }
        else
        {
            long long u = t - weights - outputs;
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
#define SMALL_BATCH_STEP 32

// dense_backward for a head of at most SMALL_OUTPUTS outputs. A block owns 32 input features and has a warp
// per output: lane l of warp o runs dW[o, i0 + l]'s chain over the samples, so the block reads each input
// value from L2 once and the ten warps share it through L1. Then the block's threads run the dx chains of
// its features for every sample, from the staged weights and output gradients. The same chains as
// dense_backward: dW over n ascending, dx over o ascending; block 0 also computes db.
// Dynamic shared memory (sized by the host): dz[batch][outputs], then w[outputs][32].
extern "C" __global__ void dense_backward_small(
    int batch, int inputs, int outputs, int relu,
    const float* __restrict__ x, const float* __restrict__ w, const float* __restrict__ y, const float* __restrict__ dy,
    float* __restrict__ dw, float* __restrict__ db, float* __restrict__ dx)
{
    extern __shared__ float staged[];
    float* dz = staged;
    float* ws = staged + batch * outputs;
    int lane = threadIdx.x & 31, o = threadIdx.x / 32;
    int i0 = blockIdx.x * 32;
    int width = min(32, inputs - i0);
    for (int e = threadIdx.x; e < batch * outputs; e += blockDim.x) dz[e] = relu ? mask(y[e], dy[e], 1) : dy[e];
    for (int e = threadIdx.x; e < outputs * 32; e += blockDim.x)
    {
        int r = e / 32, c = e % 32;
        ws[e] = c < width ? w[(long long)r * inputs + i0 + c] : 0.0f;
    }
    __syncthreads();

    if (o < outputs && lane < width)
    {
        const float* xi = x + i0 + lane;
        float acc = 0.0f;
        int n = 0;
        for (; n + SMALL_BATCH_STEP <= batch; n += SMALL_BATCH_STEP)
        {
            float v[SMALL_BATCH_STEP];
#pragma unroll
            for (int k = 0; k < SMALL_BATCH_STEP; k++) v[k] = xi[(long long)(n + k) * inputs];
#pragma unroll
            for (int k = 0; k < SMALL_BATCH_STEP; k++) acc = __fmaf_rn(dz[(n + k) * outputs + o], v[k], acc);
        }
        for (; n < batch; n++) acc = __fmaf_rn(dz[n * outputs + o], xi[(long long)n * inputs], acc);
        dw[(long long)o * inputs + i0 + lane] = acc;
    }

    if (dx != nullptr)
    {
        for (int e = threadIdx.x; e < batch * 32; e += blockDim.x)
        {
            int n = e / 32, c = e % 32;
            if (c >= width) continue;
            float acc = 0.0f;
            for (int k = 0; k < outputs; k++) acc = __fmaf_rn(ws[k * 32 + c], dz[n * outputs + k], acc);
            dx[(long long)n * inputs + i0 + c] = acc;
        }
    }

    if (blockIdx.x == 0)
    {
        for (int k = threadIdx.x; k < outputs; k += blockDim.x)
        {
            float acc = 0.0f;
            for (int n = 0; n < batch; n++) acc = acc + dz[n * outputs + k];
            db[k] = acc;
        }
    }
}
