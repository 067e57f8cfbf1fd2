// Evaluates the shared exp and log on the GPU so tests can compare their bits with the C# copy.
#include "common/reductions.cuh"
#include "common/deterministic_math.cuh"

extern "C" __global__ void deterministic_math_probe(long long length, const float* __restrict__ x, float* __restrict__ exp_out, float* __restrict__ log_out)
{
    for (long long t = global_thread(); t < length; t += grid_stride())
    {
        exp_out[t] = dm_exp(x[t]);
        log_out[t] = dm_log(fabsf(x[t]));
    }
}
