// The dense block y = act(W x + b): forward and backward. Canonical orders: docs/numerics.md, "Dense block"
// and "Dot product". Compiled with -fmad=false; fma only as __fmaf_rn.
#include "common/reductions.cuh"
#include "common/batch_tree.cuh"
#include "common/implicit_gemm.cuh"

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

#define SMALL_OUTPUTS 16

// dense_backward for a head of at most SMALL_OUTPUTS outputs. A block owns 32 input features of one chunk of
// the batch and has a warp per output: lane l of warp o runs dW[j][o, i0 + l]'s chain over the chunk's samples
// (all BATCH_CHUNK loads in flight), so the block reads each input value from L2 once and its warps share it
// through L1. Then the block's threads run the dx chains of its features for the chunk's samples, from the
// staged weights and output gradients. The same chains as dense_backward; the blocks of feature 0 also
// compute their chunk's db. Blocks: (features / 32) per chunk, chunk-major.
// Dynamic shared memory (sized by the host): dz[BATCH_CHUNK][outputs], then w[outputs][32].
extern "C" __global__ void dense_backward_small(
    int batch, int inputs, int outputs, int relu,
    const float* __restrict__ x, const float* __restrict__ w, const float* __restrict__ y, const float* __restrict__ dy,
    float* __restrict__ dw, float* __restrict__ db, float* __restrict__ dx)
{
    extern __shared__ float staged[];
    float* dz = staged;
    float* ws = staged + BATCH_CHUNK * outputs;
    int lane = threadIdx.x & 31, o = threadIdx.x / 32;
    int feature_blocks = (inputs + 31) / 32;
    long long chunk = blockIdx.x / feature_blocks;
    int i0 = (int)(blockIdx.x % feature_blocks) * 32;
    int width = min(32, inputs - i0);
    int n0 = (int)(chunk * BATCH_CHUNK);
    int count = min(BATCH_CHUNK, batch - n0);
    const float* yc = y + (long long)n0 * outputs;
    const float* dyc = dy + (long long)n0 * outputs;
    for (int e = threadIdx.x; e < count * outputs; e += blockDim.x) dz[e] = relu ? mask(yc[e], dyc[e], 1) : dyc[e];
    for (int e = threadIdx.x; e < outputs * 32; e += blockDim.x)
    {
        int r = e / 32, c = e % 32;
        ws[e] = c < width ? w[(long long)r * inputs + i0 + c] : 0.0f;
    }
    __syncthreads();

    if (o < outputs && lane < width)
    {
        const float* xi = x + (long long)n0 * inputs + i0 + lane;
        float v[BATCH_CHUNK];
#pragma unroll
        for (int k = 0; k < BATCH_CHUNK; k++) v[k] = k < count ? xi[(long long)k * inputs] : 0.0f;
        float acc = 0.0f;
#pragma unroll
        for (int k = 0; k < BATCH_CHUNK; k++)
        {
            if (k < count) acc = __fmaf_rn(dz[k * outputs + o], v[k], acc);
        }
        dw[(chunk * outputs + o) * inputs + i0 + lane] = acc;
    }

    if (dx != nullptr)
    {
        for (int e = threadIdx.x; e < count * 32; e += blockDim.x)
        {
            int n = e / 32, c = e % 32;
            if (c >= width) continue;
            float acc = 0.0f;
            for (int k = 0; k < outputs; k++) acc = __fmaf_rn(ws[k * 32 + c], dz[n * outputs + k], acc);
            dx[(long long)(n0 + n) * inputs + i0 + c] = acc;
        }
    }

    if (i0 == 0)
    {
        for (int k = threadIdx.x; k < outputs; k += blockDim.x)
        {
            float acc = 0.0f;
            for (int n = 0; n < count; n++) acc = acc + dz[n * outputs + k];
            db[chunk * outputs + k] = acc;
        }
    }
}

// ---------------------------------------------------------------------------------------------------------
// The dense backward pass as implicit GEMMs (common/implicit_gemm.cuh), for layers past the small head's shape.

__device__ __forceinline__ float dense_dz(const float* __restrict__ y, const float* __restrict__ dy, long long k, int relu)
{
    return relu ? mask(y[k], dy[k], 1) : dy[k];
}

// Input gradient: C(n, i) = the fma chain over o ascending of W[o, i] * dz[n, o].
struct DenseDataProblem
{
    const float* __restrict__ w;
    const float* __restrict__ y;
    const float* __restrict__ dy;
    float* __restrict__ dx;
    int relu, outputs, M, N, R;

    struct Column { int i; };

    __device__ DenseDataProblem(int batch, int inputs, int outputs_, int relu_, const float* w_, const float* y_, const float* dy_, float* dx_)
        : w(w_), y(y_), dy(dy_), dx(dx_), relu(relu_), outputs(outputs_)
    {
        M = batch;
        N = inputs;
        R = outputs_;
    }

    __device__ int4 entry(int, int o) const { return make_int4(0, 0, 0, o); }
    __device__ long long row(int, int n) const { return (long long)n * outputs; }
    __device__ float a(long long row, int4 e) const { return dense_dz(y, dy, row + e.w, relu); }
    __device__ Column column(int, int i) const { return Column{i}; }
    __device__ float b(const Column& c, int4 e) const { return w[(long long)e.w * N + c.i]; }
    __device__ void store(int, int n, int i, float acc) const { dx[(long long)n * N + i] = acc; }
};

// Chunk partials: for chunk z of the batch (docs/numerics.md, "Sums over the batch"), C(o, i) = the fma chain over
// the chunk's samples ascending of dz[n, o] * x[n, i]; column `inputs` is the bias (B = 1: fma(dz, 1, acc) rounds
// as acc + dz). Reduction indices past the chunk's samples load 0.
struct DenseFilterProblem
{
    const float* __restrict__ x;
    const float* __restrict__ y;
    const float* __restrict__ dy;
    float* __restrict__ dw;
    float* __restrict__ db;
    int batch, inputs, relu, M, N, R;

    struct Column { int i; };

    __device__ DenseFilterProblem(int batch_, int inputs_, int outputs, int relu_, const float* x_, const float* y_, const float* dy_, float* dw_, float* db_)
        : x(x_), y(y_), dy(dy_), dw(dw_), db(db_), batch(batch_), inputs(inputs_), relu(relu_)
    {
        M = outputs;
        N = inputs_ + 1;
        R = BATCH_CHUNK;
    }

    __device__ int4 entry(int chunk, int r) const
    {
        int n = chunk * BATCH_CHUNK + r;
        return make_int4(n < batch ? 1 : 0, 0, 0, n);
    }

    __device__ long long row(int, int o) const { return o; }
    __device__ float a(long long o, int4 e) const { return e.x ? dense_dz(y, dy, (long long)e.w * M + o, relu) : 0.0f; }
    __device__ Column column(int, int i) const { return Column{i}; }

    __device__ float b(const Column& c, int4 e) const
    {
        if (!e.x) return 0.0f;
        return c.i < inputs ? x[(long long)e.w * inputs + c.i] : 1.0f;
    }

    __device__ void store(int chunk, int o, int i, float acc) const
    {
        if (i < inputs) dw[((long long)chunk * M + o) * inputs + i] = acc;
        else db[(long long)chunk * M + o] = acc;
    }
};

// One entry point per problem and tile shape BM x BN (DenseCuda picks it with ConvolutionCuda.Tile).
#define DENSE_GEMM_ENTRIES(BM, BN)                                                                                 \
    extern "C" __global__ void __launch_bounds__(GEMM_THREADS) dense_gemm_data_m##BM##_n##BN(                        \
        int batch, int inputs, int outputs, int relu, const float* __restrict__ w, const float* __restrict__ y,  \
        const float* __restrict__ dy, float* __restrict__ dx)                                                    \
    {                                                                                                            \
        implicit_gemm<DenseDataProblem, BM, BN>(DenseDataProblem(batch, inputs, outputs, relu, w, y, dy, dx));   \
    }                                                                                                            \
    extern "C" __global__ void __launch_bounds__(GEMM_THREADS) dense_gemm_filter_m##BM##_n##BN(                      \
        int batch, int inputs, int outputs, int relu, const float* __restrict__ x, const float* __restrict__ y,  \
        const float* __restrict__ dy, float* __restrict__ dw, float* __restrict__ db)                            \
    {                                                                                                            \
        implicit_gemm<DenseFilterProblem, BM, BN>(                                                               \
            DenseFilterProblem(batch, inputs, outputs, relu, x, y, dy, dw, db));                                 \
    }

DENSE_GEMM_ENTRIES(64, 128)
DENSE_GEMM_ENTRIES(32, 128)
DENSE_GEMM_ENTRIES(16, 128)
DENSE_GEMM_ENTRIES(64, 32)
DENSE_GEMM_ENTRIES(32, 32)
DENSE_GEMM_ENTRIES(16, 32)
