// Dropout with masks drawn on the host: forward and backward are the same operation. Canonical order:
// docs/numerics.md, "Dropout". Compiled with -fmad=false; one multiplication per kept element.
#include "common/reductions.cuh"

// y = kept ? x * scale : +0, where element i of sample n is kept when bit i % 32 of word n * words + i / 32 is set.
extern "C" __global__ void dropout_apply(
    long long length, int size, int words, float scale, const int* __restrict__ masks, const float* __restrict__ x, float* __restrict__ y)
{
    for (long long t = global_thread(); t < length; t += grid_stride())
    {
        long long n = t / size;
        int i = (int)(t - n * size);
        int word = masks[n * words + (i >> 5)];
        y[t] = ((word >> (i & 31)) & 1) ? x[t] * scale : 0.0f;
    }
}
