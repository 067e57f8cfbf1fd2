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
#define SMALL_BATCH_STEP 8

// dense_forward for a head of at most SMALL_OUTPUTS outputs: a block holds samples_per_block samples and a
// warp for each (sample, output), so a sample's inputs and an output's weights are read from L2 once per
// block and shared through L1. Each warp runs the dot32 order of dense_forward.
extern "C" __global__ void dense_forward_small(
    int batch, int inputs, int outputs, int relu, int samples_per_block,
    const float* __restrict__ x, const float* __restrict__ w, const float* __restrict__ b, float* __restrict__ y)
{
    int warp = threadIdx.x / 32, lane = threadIdx.x & 31;
    long long n = (long long)blockIdx.x * samples_per_block + warp / outputs;
    int o = warp % outputs;
    if (warp >= samples_per_block * outputs || n >= batch) return;
    const float* xn = x + n * inputs;
    const float* wo = w + (long long)o * inputs;
    float s = 0.0f;
#pragma unroll 4
    for (int j = lane; j < inputs; j += 32) s = __fmaf_rn(wo[j], xn[j], s);
    s = fold32(s);
    if (lane == 0) y[n * outputs + o] = activate(s + b[o], relu);
}

// dense_backward for a head of at most SMALL_OUTPUTS outputs: a thread per input feature i keeps W[:, i]
// and every output's dW chain in registers and walks the samples once, SMALL_BATCH_STEP at a time so that
// their dx chains (independent of each other) overlap; the batch's masked output gradients are staged in
// shared memory (the host checks they fit). The same chains as dense_backward: dW over n ascending, dx over
// o ascending; the last block computes db.
extern "C" __global__ void dense_backward_small(
    int batch, int inputs, int outputs, int relu,
    const float* __restrict__ x, const float* __restrict__ w, const float* __restrict__ y, const float* __restrict__ dy,
    float* __restrict__ dw, float* __restrict__ db, float* __restrict__ dx)
{
    extern __shared__ float dz[];
    for (int e = threadIdx.x; e < batch * outputs; e += blockDim.x) dz[e] = relu ? mask(y[e], dy[e], 1) : dy[e];
    __syncthreads();

    if (blockIdx.x == gridDim.x - 1)
    {
        for (int o = threadIdx.x; o < outputs; o += blockDim.x)
        {
            float acc = 0.0f;
            for (int n = 0; n < batch; n++) acc = acc + dz[n * outputs + o];
            db[o] = acc;
        }
        return;
    }

    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i >= inputs) return;
    float weight[SMALL_OUTPUTS], grad[SMALL_OUTPUTS];
#pragma unroll
    for (int o = 0; o < SMALL_OUTPUTS; o++)
    {
        weight[o] = o < outputs ? w[(long long)o * inputs + i] : 0.0f;
        grad[o] = 0.0f;
    }

    for (int n0 = 0; n0 < batch; n0 += SMALL_BATCH_STEP)
    {
        int count = min(SMALL_BATCH_STEP, batch - n0);
        float v[SMALL_BATCH_STEP], back[SMALL_BATCH_STEP];
#pragma unroll
        for (int k = 0; k < SMALL_BATCH_STEP; k++)
        {
            v[k] = k < count ? x[(long long)(n0 + k) * inputs + i] : 0.0f;
            back[k] = 0.0f;
        }

#pragma unroll
        for (int o = 0; o < SMALL_OUTPUTS; o++)
        {
            if (o >= outputs) break;
#pragma unroll
            for (int k = 0; k < SMALL_BATCH_STEP; k++)
            {
                if (k >= count) break;
                float d = dz[(n0 + k) * outputs + o];
                grad[o] = __fmaf_rn(d, v[k], grad[o]);
                back[k] = __fmaf_rn(weight[o], d, back[k]);
            }
        }

        if (dx != nullptr)
        {
#pragma unroll
            for (int k = 0; k < SMALL_BATCH_STEP; k++)
            {
                if (k < count) dx[(long long)(n0 + k) * inputs + i] = back[k];
            }
        }
    }

#pragma unroll
    for (int o = 0; o < SMALL_OUTPUTS; o++)
    {
        if (o >= outputs) break;
        dw[(long long)o * inputs + i] = grad[o];
    }
}
