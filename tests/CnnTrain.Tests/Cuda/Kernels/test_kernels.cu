// Kernels for the CUDA interop tests. The PTX embedded in TestKernels.cs is generated from this file:
//   nvcc -ccbin clang-14 -ptx -arch=compute_60 -fmad=false -O3 test_kernels.cu -o test_kernels.ptx

extern "C" __global__ void add_one(float* data, int count)
{
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < count)
    {
        data[i] = data[i] + 1.0f;
    }
}

// One argument of each size, so that the test sees every width arrive intact.
extern "C" __global__ void echo_arguments(long long* out, signed char c, short s, int i, double d, long long l, float f)
{
    if (blockIdx.x == 0 && threadIdx.x == 0)
    {
        out[0] = c;
        out[1] = s;
        out[2] = i;
        out[3] = __double_as_longlong(d);
        out[4] = l;
        out[5] = __float_as_int(f);
    }
}
