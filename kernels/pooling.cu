// Standalone max pool (one that does not follow a convolution): forward and backward. Exact operations,
// except overlapping windows in the backward pass, summed from +0 in ascending output order.
#include "common/reductions.cuh"

extern "C" __global__ void max_pool2d_forward(
    int planes, int height, int width, int size, int stride, int out_height, int out_width,
    const float* __restrict__ x, float* __restrict__ y, int* __restrict__ index)
{
    long long out_plane = (long long)out_height * out_width;
    long long total = planes * out_plane;
    for (long long t = global_thread(); t < total; t += grid_stride())
    {
        int px = (int)(t % out_width);
        int py = (int)((t / out_width) % out_height);
        const float* plane = x + (t / out_plane) * height * width;
        int best = py * stride * width + px * stride;
        for (int wy = 0; wy < size; wy++)
        {
            for (int wx = 0; wx < size; wx++)
            {
                int q = (py * stride + wy) * width + px * stride + wx;
                if (plane[q] > plane[best]) best = q;
            }
        }
        y[t] = plane[best];
        index[t] = best;
    }
}

// One thread per input element: the sum from +0 of the gradients of the windows it won.
extern "C" __global__ void max_pool2d_backward(
    int planes, int height, int width, int size, int stride, int out_height, int out_width,
    const float* __restrict__ dy, const int* __restrict__ index, float* __restrict__ dx)
{
    long long in_plane = (long long)height * width;
    long long total = planes * in_plane;
    for (long long t = global_thread(); t < total; t += grid_stride())
    {
        int ix = (int)(t % width);
        int iy = (int)((t / width) % height);
        long long base = (t / in_plane) * out_height * out_width;
        int q = iy * width + ix;
        int py_first = iy < size ? 0 : (iy - size) / stride + 1;
        int px_first = ix < size ? 0 : (ix - size) / stride + 1;
        int py_last = min(iy / stride, out_height - 1);
        int px_last = min(ix / stride, out_width - 1);
        float acc = 0.0f;
        for (int py = py_first; py <= py_last; py++)
        {
            for (int px = px_first; px <= px_last; px++)
            {
                long long p = base + (long long)py * out_width + px;
                if (index[p] == q) acc = acc + dy[p];
            }
        }
        dx[t] = acc;
    }
}
