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
