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
#pragma unroll 8
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
