// The average pool (no padding): forward and backward. Canonical order: docs/numerics.md, "Average pool".
// Compiled with -fmad=false; there is no fma here, only sums and one division per window.
#include "common/reductions.cuh"

// One thread per output: the window's sum from +0 in row-major order, divided by the window's element count.
extern "C" __global__ void avg_pool2d_forward(
    int planes, int height, int width, int window_height, int window_width, int stride_y, int stride_x, int out_height, int out_width,
    const float* __restrict__ x, float* __restrict__ y)
{
    long long out_plane = (long long)out_height * out_width;
    long long total = planes * out_plane;
    float count = (float)(window_height * window_width);
    for (long long t = global_thread(); t < total; t += grid_stride())
    {
        int px = (int)(t % out_width);
        int py = (int)((t / out_width) % out_height);
        const float* plane = x + (t / out_plane) * height * width;
        float sum = 0.0f;
        for (int wy = 0; wy < window_height; wy++)
        {
            const float* row = plane + (py * stride_y + wy) * width + px * stride_x;
            for (int wx = 0; wx < window_width; wx++) sum = sum + row[wx];
        }
        y[t] = __fdiv_rn(sum, count);
    }
}

// One thread per input element: the sum from +0, over the windows that contain it in ascending output order, of
// each window's gradient divided by the window's element count.
extern "C" __global__ void avg_pool2d_backward(
    int planes, int height, int width, int window_height, int window_width, int stride_y, int stride_x, int out_height, int out_width,
    const float* __restrict__ dy, float* __restrict__ dx)
{
    long long in_plane = (long long)height * width;
    long long total = planes * in_plane;
    float count = (float)(window_height * window_width);
    for (long long t = global_thread(); t < total; t += grid_stride())
    {
        int ix = (int)(t % width);
        int iy = (int)((t / width) % height);
        const float* g = dy + (t / in_plane) * out_height * out_width;
        int py_first = iy < window_height ? 0 : (iy - window_height) / stride_y + 1;
        int px_first = ix < window_width ? 0 : (ix - window_width) / stride_x + 1;
        int py_last = min(iy / stride_y, out_height - 1);
        int px_last = min(ix / stride_x, out_width - 1);
        float acc = 0.0f;
        for (int py = py_first; py <= py_last; py++)
        {
            for (int px = px_first; px <= px_last; px++)
            {
                acc = acc + __fdiv_rn(g[py * out_width + px], count);
            }
        }
        dx[t] = acc;
    }
}
