// Row gather for 4-byte elements (float and int alike): destination[i] = source[rows[i]].
#include "common/reductions.cuh"

extern "C" __global__ void gather_rows32(
    long long rows, int row_length, const unsigned int* __restrict__ source, const int* __restrict__ row_index,
    unsigned int* __restrict__ destination)
{
    long long total = rows * row_length;
    for (long long t = global_thread(); t < total; t += grid_stride())
    {
        long long r = t / row_length;
        destination[t] = source[(long long)row_index[r] * row_length + (t % row_length)];
    }
}
