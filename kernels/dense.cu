// The dense block y = act(W x + b): forward and backward. Canonical orders: docs/numerics.md, "Dense block"
// and "Dot product". Compiled with -fmad=false; fma only as __fmaf_rn.
#include "common/reductions.cuh"
#include "common/batch_tree.cuh"
#include "common/implicit_gemm.cuh"

// A warp per block of DENSE_SAMPLES samples x DENSE_OUTPUTS outputs: lane l runs their fma chains over inputs
// j = l (mod 32) side by side, so each x and w value it loads feeds several chains, then folds each (dot32).
// Samples or outputs past the end read row 0 and are not written.
template <int DENSE_SAMPLES, int DENSE_OUTPUTS>
__device__ __forceinline__ void dense_forward_body(
    int batch, int inputs, int outputs, int relu,
    const float* __restrict__ x, const float* __restrict__ w, const float* __restrict__ b, float* __restrict__ y)
{
    long long warp = global_thread() / 32;
    int lane = threadIdx.x & 31;
    long long warps = grid_stride() / 32;
    int output_blocks = (outputs + DENSE_OUTPUTS - 1) / DENSE_OUTPUTS;
    long long total = (long long)((batch + DENSE_SAMPLES - 1) / DENSE_SAMPLES) * output_blocks;
    for (long long t = warp; t < total; t += warps)
    {
        int o0 = (int)(t % output_blocks) * DENSE_OUTPUTS;
        int n0 = (int)(t / output_blocks) * DENSE_SAMPLES;
        const float* xs[DENSE_SAMPLES];
        const float* ws[DENSE_OUTPUTS];
#pragma unroll
        for (int q = 0; q < DENSE_SAMPLES; q++) xs[q] = x + (long long)(n0 + q < batch ? n0 + q : 0) * inputs;
#pragma unroll
        for (int q = 0; q < DENSE_OUTPUTS; q++) ws[q] = w + (long long)(o0 + q < outputs ? o0 + q : 0) * inputs;
        float s[DENSE_SAMPLES][DENSE_OUTPUTS];
#pragma unroll
        for (int u = 0; u < DENSE_SAMPLES; u++)
#pragma unroll
            for (int v = 0; v < DENSE_OUTPUTS; v++) s[u][v] = 0.0f;
        for (int j = lane; j < inputs; j += 32)
        {
            float xv[DENSE_SAMPLES], wv[DENSE_OUTPUTS];
#pragma unroll
            for (int q = 0; q < DENSE_SAMPLES; q++) xv[q] = xs[q][j];
#pragma unroll
            for (int q = 0; q < DENSE_OUTPUTS; q++) wv[q] = ws[q][j];
#pragma unroll
            for (int u = 0; u < DENSE_SAMPLES; u++)
#pragma unroll
                for (int v = 0; v < DENSE_OUTPUTS; v++) s[u][v] = __fmaf_rn(wv[v], xv[u], s[u][v]);
        }
#pragma unroll
        for (int u = 0; u < DENSE_SAMPLES; u++)
        {
#pragma unroll
            for (int v = 0; v < DENSE_OUTPUTS; v++)
            {
                float total_uv = fold32(s[u][v]);
                if (lane == 0 && n0 + u < batch && o0 + v < outputs)
                {
                    y[(long long)(n0 + u) * outputs + o0 + v] = activate(total_uv + b[o0 + v], relu);
                }
            }
        }
    }
}

// A warp per output: many warps, for batches and layers too small to give the tiled kernel enough of them.
extern "C" __global__ void dense_forward(
    int batch, int inputs, int outputs, int relu,
    const float* __restrict__ x, const float* __restrict__ w, const float* __restrict__ b, float* __restrict__ y)
{
    dense_forward_body<1, 1>(batch, inputs, outputs, relu, x, w, b, y);
}

// A warp per 4 samples x 4 outputs: a quarter of the loads per fma.
extern "C" __global__ void dense_forward_tiled(
    int batch, int inputs, int outputs, int relu,
    const float* __restrict__ x, const float* __restrict__ w, const float* __restrict__ b, float* __restrict__ y)
{
    dense_forward_body<4, 4>(batch, inputs, outputs, relu, x, w, b, y);
}

// ---------------------------------------------------------------------------------------------------------
// The dense backward pass as implicit GEMMs (common/implicit_gemm.cuh).

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
