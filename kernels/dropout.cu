// Dropout with masks drawn on the host: forward and backward are the same operation. Canonical order:
// docs/numerics.md, "Dropout". Compiled with -fmad=false; one multiplication per kept element.
#include "common/reductions.cuh"

// y = kept ? x * scale : +0, where element i of sample n is kept when bit i % 32 of word n * words + i / 32 is set.
// A thread per element; consecutive threads read consecutive elements and mostly one mask word (a broadcast). A
// buffer holds fewer than 2^31 elements (a device slice's length is an int), so the sample and element indices are
// 32-bit: a 64-bit division per element cost several times more than the element's loads.
extern "C" __global__ void dropout_apply(
    int length, int size, int words, float scale, const int* __restrict__ masks, const float* __restrict__ x, float* __restrict__ y)
{
    for (unsigned t = (unsigned)global_thread(); t < (unsigned)length; t += (unsigned)grid_stride())
    {
        unsigned n = t / (unsigned)size;
        unsigned i = t - n * (unsigned)size;
        int word = masks[n * (unsigned)words + (i >> 5)];
        y[t] = ((word >> (i & 31)) & 1) ? x[t] * scale : 0.0f;
    }
}
