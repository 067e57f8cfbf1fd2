// Shared pieces of the canonical orders (docs/numerics.md).
#pragma once

#define FULL_WARP 0xFFFFFFFFu

// The dot32 fold: lane l holds partial sum s[l]; for h = 16, 8, 4, 2, 1, s[l] = s[l] + s[l + h].
// Lane 0 ends with the total. Every lane of the warp must call it.
__device__ __forceinline__ float fold32(float v)
{
    for (int h = 16; h >= 1; h >>= 1)
    {
        v = v + __shfl_down_sync(FULL_WARP, v, h);
    }
    return v;
}

__device__ __forceinline__ float activate(float z, int relu)
{
    return (relu && !(z > 0.0f)) ? 0.0f : z;
}

// The gradient that reaches a pre-activation, given the block output it produced.
__device__ __forceinline__ float mask(float output, float gradient, int relu)
{
    return (relu && !(output > 0.0f)) ? 0.0f : gradient;
}

__device__ __forceinline__ long long global_thread()
{
    return (long long)blockIdx.x * blockDim.x + threadIdx.x;
}

__device__ __forceinline__ long long grid_stride()
{
    return (long long)gridDim.x * blockDim.x;
}
