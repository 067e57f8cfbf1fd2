// Standalone ReLU (one that does not follow a convolution or dense layer): exact, forward and backward.
#include "common/reductions.cuh"

extern "C" __global__ void relu_forward(long long length, const float* __restrict__ x, float* __restrict__ y)
{
    for (long long t = global_thread(); t < length; t += grid_stride()) y[t] = activate(x[t], 1);
}

extern "C" __global__ void relu_backward(long long length, const float* __restrict__ y, const float* __restrict__ dy, float* __restrict__ dx)
{
    for (long long t = global_thread(); t < length; t += grid_stride()) dx[t] = mask(y[t], dy[t], 1);
}
