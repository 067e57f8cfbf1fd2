// The convolution block (convolution + bias, optional ReLU, optional max pool): forward and backward.
// Canonical orders: docs/numerics.md, "Convolution block". Compiled with -fmad=false; fma only as __fmaf_rn.
#include "common/reductions.cuh"
#include "common/implicit_gemm.cuh"

// Mirrors CudaConvolutionGeometry in src/CnnTrain/Devices/Cuda/Kernels: fifteen ints, in this order.
struct ConvGeometry
{
    int batch, channels, height, width;
    int filters, kernel, stride, padding;
    int conv_height, conv_width, relu;
    int pool_size, pool_stride, out_height, out_width;
};

#define POOLED_GROUP 8

// The study block's shape: K x K filters with unit stride and no padding, ReLU optional, 2x2 pool with
// stride 2. A block owns one sample and POOLED_GROUP filters; it stages the sample's input and the group's
// weights in shared memory (dynamic: input, then weights; the host checks they fit). A thread owns a pool
// window: it reads the window's (K+1) x (K+1) input patch per channel once and runs the four conv outputs'
// chains for every filter of the group side by side. Each chain is still (c, ky, kx) ascending from +0.
template <int K>
__device__ void conv2d_forward_pool2_body(
    const ConvGeometry& g, const float* __restrict__ x, const float* __restrict__ w, const float* __restrict__ b,
    float* __restrict__ y, int* __restrict__ pool_index)
{
    extern __shared__ float staged[];
    int input_size = g.channels * g.height * g.width;
    int windows = g.out_height * g.out_width;
    int groups = (g.filters + POOLED_GROUP - 1) / POOLED_GROUP;
    long long n = blockIdx.x / groups;
    int first_filter = (blockIdx.x % groups) * POOLED_GROUP;
    int members = min(POOLED_GROUP, g.filters - first_filter);
    int filter_weights = g.channels * K * K;
    float* xs = staged;
    float* ws = staged + input_size;
    for (int i = threadIdx.x; i < input_size; i += blockDim.x) xs[i] = x[n * input_size + i];
    for (int i = threadIdx.x; i < members * filter_weights; i += blockDim.x) ws[i] = w[(long long)first_filter * filter_weights + i];
    __syncthreads();

    for (int p = threadIdx.x; p < windows; p += blockDim.x)
    {
        int oy0 = 2 * (p / g.out_width), ox0 = 2 * (p % g.out_width);
        float acc[POOLED_GROUP][4];
#pragma unroll
        for (int m = 0; m < POOLED_GROUP; m++) acc[m][0] = acc[m][1] = acc[m][2] = acc[m][3] = 0.0f;

        for (int c = 0; c < g.channels; c++)
        {
            const float* xc = xs + (c * g.height + oy0) * g.width + ox0;
            float patch[K + 1][K + 1];
#pragma unroll
            for (int r = 0; r <= K; r++)
#pragma unroll
                for (int q = 0; q <= K; q++) patch[r][q] = xc[r * g.width + q];

#pragma unroll
            for (int m = 0; m < POOLED_GROUP; m++)
            {
                if (m >= members) break;
                const float* wf = ws + m * filter_weights + c * K * K;
#pragma unroll
                for (int ky = 0; ky < K; ky++)
                {
#pragma unroll
                    for (int kx = 0; kx < K; kx++)
                    {
                        float wt = wf[ky * K + kx];
                        acc[m][0] = __fmaf_rn(wt, patch[ky][kx], acc[m][0]);
                        acc[m][1] = __fmaf_rn(wt, patch[ky][kx + 1], acc[m][1]);
                        acc[m][2] = __fmaf_rn(wt, patch[ky + 1][kx], acc[m][2]);
                        acc[m][3] = __fmaf_rn(wt, patch[ky + 1][kx + 1], acc[m][3]);
                    }
                }
            }
        }

#pragma unroll
        for (int m = 0; m < POOLED_GROUP; m++)
        {
            if (m >= members) break;
            int f = first_filter + m;
            float bias = b[f];
            // Window order (0,0), (0,1), (1,0), (1,1): row-major, a later value wins only when greater.
            float best = activate(acc[m][0] + bias, g.relu);
            int best_index = oy0 * g.conv_width + ox0;
            float v = activate(acc[m][1] + bias, g.relu);
            if (v > best) { best = v; best_index = oy0 * g.conv_width + ox0 + 1; }
            v = activate(acc[m][2] + bias, g.relu);
            if (v > best) { best = v; best_index = (oy0 + 1) * g.conv_width + ox0; }
            v = activate(acc[m][3] + bias, g.relu);
            if (v > best) { best = v; best_index = (oy0 + 1) * g.conv_width + ox0 + 1; }
            long long o = (n * g.filters + f) * windows + p;
            y[o] = best;
            pool_index[o] = best_index;
        }
    }
}

extern "C" __global__ void conv2d_forward_pool2_k3(
    ConvGeometry g, const float* __restrict__ x, const float* __restrict__ w, const float* __restrict__ b,
    float* __restrict__ y, int* __restrict__ pool_index)
{
    conv2d_forward_pool2_body<3>(g, x, w, b, y, pool_index);
}

// The gradient reaching conv output (oy, ox) of plane (n, f): dy routed through the pool winners
// (a sum from +0 over the windows containing it, in ascending order) and masked by ReLU.
__device__ float conv_output_gradient(
    const ConvGeometry& g, const float* __restrict__ y, const int* __restrict__ pool_index, const float* __restrict__ dy,
    long long plane_offset, int oy, int ox)
{
    if (g.pool_size == 0)
    {
        long long i = plane_offset + (long long)oy * g.conv_width + ox;
        return mask(y[i], dy[i], g.relu);
    }

    int q = oy * g.conv_width + ox;
    int py_first = oy < g.pool_size ? 0 : (oy - g.pool_size) / g.pool_stride + 1;
    int px_first = ox < g.pool_size ? 0 : (ox - g.pool_size) / g.pool_stride + 1;
    int py_last = min(oy / g.pool_stride, g.out_height - 1);
    int px_last = min(ox / g.pool_stride, g.out_width - 1);
    float acc = 0.0f;
    for (int py = py_first; py <= py_last; py++)
    {
        for (int px = px_first; px <= px_last; px++)
        {
            long long p = plane_offset + (long long)py * g.out_width + px;
            if (pool_index[p] == q) acc = acc + mask(y[p], dy[p], g.relu);
        }
    }
    return acc;
}

// Per-sample partial gradients for blocks without padding whose pool windows do not overlap (stride >=
// size): only window winners carry gradient, so each chain runs over the winners alone, in row-major
// order of their positions (skipping zero terms is exact, docs/numerics.md). A block owns one sample and a
// group of filters; it stages the sample's input and, per filter, the winners sorted row-major: within a
// pooled row, by (row offset in the window, window column). Dynamic shared memory, sized by the host
// (ConvolutionKernels.WinnersPlan): the input; the sorted winners' gradients and input offsets; the
// windows' row offsets (bytes, at the end); and the windows' winners and gradients as staged.
extern "C" __global__ void conv2d_backward_filter_winners(
    ConvGeometry g, const float* __restrict__ x, const float* __restrict__ y, const int* __restrict__ pool_index,
    const float* __restrict__ dy, float* __restrict__ weight_partials, float* __restrict__ bias_partials, int filters_per_block)
{
    extern __shared__ float shared[];
    int input_size = g.channels * g.height * g.width;
    int windows = g.out_height * g.out_width;
    int group_windows = filters_per_block * windows;
    float* xs = shared;
    float* gradient = xs + input_size;
    int* offset = (int*)(gradient + group_windows);
    unsigned char* row_in_window = (unsigned char*)(offset + 3 * group_windows);

    int groups = (g.filters + filters_per_block - 1) / filters_per_block;
    long long n = blockIdx.x / groups;
    int first_filter = (blockIdx.x % groups) * filters_per_block;
    int members = min(filters_per_block, g.filters - first_filter);
    long long plane_base = (n * g.filters + first_filter) * windows;

    // Everything the sort reads is staged first, by all threads at once, so its loads overlap.
    int* winner = offset + group_windows;
    float* window_gradient = (float*)(winner + group_windows);
    for (int i = threadIdx.x; i < input_size; i += blockDim.x) xs[i] = x[n * input_size + i];
    for (int e = threadIdx.x; e < members * windows; e += blockDim.x)
    {
        int q = pool_index[plane_base + e];
        winner[e] = q;
        window_gradient[e] = mask(y[plane_base + e], dy[plane_base + e], g.relu);
        row_in_window[e] = (unsigned char)(q / g.conv_width - (e % windows) / g.out_width * g.pool_stride);
    }
    __syncthreads();

    // A thread per (filter, pooled row) writes that row's winners in row-major order of their positions:
    // for each row offset within the window, the windows whose winner lies on it, left to right.
    for (int e = threadIdx.x; e < members * g.out_height; e += blockDim.x)
    {
        int m = e / g.out_height, py = e % g.out_height;
        int row = m * windows + py * g.out_width;
        int slot = row;
        for (int dr = 0; dr < g.pool_size; dr++)
        {
            for (int px = 0; px < g.out_width; px++)
            {
                if (row_in_window[row + px] != dr) continue;
                int q = winner[row + px];
                gradient[slot] = window_gradient[row + px];
                offset[slot] = (q / g.conv_width) * g.stride * g.width + (q % g.conv_width) * g.stride;
                slot++;
            }
        }
    }
    __syncthreads();

    int taps = g.channels * g.kernel * g.kernel;
    int chains = taps + 1;
    int m = threadIdx.x / chains, chain = threadIdx.x % chains;
    if (m >= members) return;
    const float* gm = gradient + m * windows;
    const int* om = offset + m * windows;
    float acc = 0.0f;
    if (chain == taps)
    {
        for (int r = 0; r < windows; r++) acc = acc + gm[r];
        bias_partials[n * g.filters + first_filter + m] = acc;
        return;
    }

    // The operands of eight terms are loaded before any of them is used, so the chain waits on shared
    // memory once per eight fmas instead of once per fma; the fmas still run in order.
    int c = chain / (g.kernel * g.kernel);
    int tap = c * g.height * g.width + ((chain / g.kernel) % g.kernel) * g.width + chain % g.kernel;
    int r = 0;
    for (; r + 8 <= windows; r += 8)
    {
        float gv[8], xv[8];
#pragma unroll
        for (int k = 0; k < 8; k++) gv[k] = gm[r + k];
#pragma unroll
        for (int k = 0; k < 8; k++) xv[k] = xs[om[r + k] + tap];
#pragma unroll
        for (int k = 0; k < 8; k++) acc = __fmaf_rn(gv[k], xv[k], acc);
    }
    for (; r < windows; r++) acc = __fmaf_rn(gm[r], xs[om[r] + tap], acc);
    weight_partials[(n * g.filters + first_filter + m) * taps + chain] = acc;
}


// ---------------------------------------------------------------------------------------------------------
// The general kernels: every geometry, as implicit GEMMs (common/implicit_gemm.cuh). A pooled forward pass
// writes the activated convolution output to a scratch plane set and pools it in a second kernel; the
// backward pass first forms dz (the gradient reaching the convolution output) in scratch, so that both
// gradient GEMMs read plain planes.

// Index r of a (channel or filter, ky, kx) reduction split into its parts: x = the channel or filter, y = ky, z = kx,
// w = the tap ky * K + kx.
__device__ __forceinline__ int4 split_taps(const ConvGeometry& g, int r)
{
    int kk = g.kernel * g.kernel;
    int outer = r / kk, tap = r - outer * kk;
    int ky = tap / g.kernel;
    return make_int4(outer, ky, tap - ky * g.kernel, tap);
}

// Forward: C(f, j) with j = (n, oy, ox) over the batch, r = (c, ky, kx): z = chain of w * x, then + bias.
struct ForwardProblem
{
    ConvGeometry g;
    const float* __restrict__ x;
    const float* __restrict__ w;
    const float* __restrict__ bias;
    float* __restrict__ z;   // (n, f, oy, ox): the output, or the scratch that the pool kernel reads
    int M, N, R;

    struct Column { long long base; int iy0, ix0; };

    __device__ ForwardProblem(const ConvGeometry& geometry, const float* x_, const float* w_, const float* b_, float* z_)
        : g(geometry), x(x_), w(w_), bias(b_), z(z_)
    {
        M = g.filters;
        N = g.batch * g.conv_height * g.conv_width;
        R = g.channels * g.kernel * g.kernel;
    }

    __device__ int4 entry(int, int r) const
    {
        int4 t = split_taps(g, r);
        return make_int4((t.x * g.height + t.y) * g.width + t.z, t.y, t.z, r);
    }

    __device__ long long row(int, int f) const { return (long long)f * R; }
    __device__ float a(long long row, int4 e) const { return w[row + e.w]; }

    __device__ Column column(int, int j) const
    {
        int plane = g.conv_height * g.conv_width;
        int n = j / plane, p = j - n * plane;
        int oy = p / g.conv_width, ox = p - oy * g.conv_width;
        int iy0 = oy * g.stride - g.padding, ix0 = ox * g.stride - g.padding;
        return Column{(long long)n * g.channels * g.height * g.width + (long long)iy0 * g.width + ix0, iy0, ix0};
    }

    __device__ float b(const Column& col, int4 e) const
    {
        int iy = col.iy0 + e.y, ix = col.ix0 + e.z;
        return (iy >= 0 && iy < g.height && ix >= 0 && ix < g.width) ? x[col.base + e.x] : 0.0f;
    }

    __device__ void store(int, int f, int j, float acc) const
    {
        int plane = g.conv_height * g.conv_width;
        int n = j / plane, p = j - n * plane;
        z[((long long)n * g.filters + f) * plane + p] = activate(acc + bias[f], g.relu);
    }
};

// Input gradient: C(c, j) with j = (n, iy, ix), r = (f, ky, kx): the chain of w[f, c, ky, kx] * dz over the
// taps that reach (iy, ix); a tap that misses (padding, or a stride that skips it) reads dz = 0. The tap reaches
// (iy, ix) from conv row (iy + P - ky) / S when S divides iy + P - ky: with iy + P = qy S + ry and ky = ay S + by,
// that is when ry == by, from row qy - ay. The column holds (q, r), the entry (a, b), so no element divides.
struct DataProblem
{
    ConvGeometry g;
    const float* __restrict__ w;
    const float* __restrict__ dz;   // (n, f, oy, ox)
    float* __restrict__ dx;
    int M, N, R;

    struct Column { long long base; int qy, ry, qx, rx; };

    __device__ DataProblem(const ConvGeometry& geometry, const float* w_, const float* dz_, float* dx_)
        : g(geometry), w(w_), dz(dz_), dx(dx_)
    {
        M = g.channels;
        N = g.batch * g.height * g.width;
        R = g.filters * g.kernel * g.kernel;
    }

    // x: the weight offset for channel 0, y: (ky / S) << 16 | ky % S, z: the same for kx, w: dz's plane offset.
    __device__ int4 entry(int, int r) const
    {
        int4 t = split_taps(g, r);
        return make_int4(t.x * g.channels * g.kernel * g.kernel + t.w, ((t.y / g.stride) << 16) | (t.y % g.stride),
                         ((t.z / g.stride) << 16) | (t.z % g.stride), t.x * g.conv_height * g.conv_width);
    }

    __device__ long long row(int, int c) const { return (long long)c * g.kernel * g.kernel; }
    __device__ float a(long long row, int4 e) const { return w[row + e.x]; }

    __device__ Column column(int, int j) const
    {
        int plane = g.height * g.width;
        int n = j / plane, q = j - n * plane;
        int ty = q / g.width + g.padding, tx = q - (q / g.width) * g.width + g.padding;
        return Column{(long long)n * g.filters * g.conv_height * g.conv_width, ty / g.stride, ty % g.stride, tx / g.stride, tx % g.stride};
    }

    __device__ float b(const Column& col, int4 e) const
    {
        if (col.ry != (e.y & 0xFFFF) || col.rx != (e.z & 0xFFFF)) return 0.0f;
        int oy = col.qy - (e.y >> 16), ox = col.qx - (e.z >> 16);
        if (oy < 0 || ox < 0 || oy >= g.conv_height || ox >= g.conv_width) return 0.0f;
        return dz[col.base + e.w + oy * g.conv_width + ox];
    }

    __device__ void store(int, int c, int j, float acc) const
    {
        int plane = g.height * g.width;
        int n = j / plane, q = j - n * plane;
        dx[((long long)n * g.channels + c) * plane + q] = acc;
    }
};

// Per-sample partials: for sample z, C(f, j) with j = (c, ky, kx) and r = the conv positions in row-major
// order: the chain of dz * x. Column C*K*K is the bias: B = 1 there, and fma(dz, 1, acc) rounds exactly as
// acc + dz, so it is the bias's sum from +0 of dz over the same positions.
struct FilterProblem
{
    ConvGeometry g;
    const float* __restrict__ x;
    const float* __restrict__ dz;
    float* __restrict__ weight_partials;
    float* __restrict__ bias_partials;
    int M, N, R, taps;

    struct Column { long long base; int ky, kx, bias; };

    __device__ FilterProblem(const ConvGeometry& geometry, const float* x_, const float* dz_, float* wp, float* bp)
        : g(geometry), x(x_), dz(dz_), weight_partials(wp), bias_partials(bp)
    {
        taps = g.channels * g.kernel * g.kernel;
        M = g.filters;
        N = taps + 1;
        R = g.conv_height * g.conv_width;
    }

    __device__ int4 entry(int, int r) const
    {
        int oy = r / g.conv_width, ox = r - oy * g.conv_width;
        return make_int4(oy * g.stride - g.padding, ox * g.stride - g.padding, 0, r);
    }

    __device__ long long row(int n, int f) const { return ((long long)n * g.filters + f) * R; }
    __device__ float a(long long row, int4 e) const { return dz[row + e.w]; }

    __device__ Column column(int n, int j) const
    {
        if (j >= taps) return Column{0, 0, 0, 1};
        int4 t = split_taps(g, j);
        return Column{((long long)n * g.channels + t.x) * g.height * g.width, t.y, t.z, 0};
    }

    __device__ float b(const Column& col, int4 e) const
    {
        if (col.bias) return 1.0f;
        int iy = e.x + col.ky, ix = e.y + col.kx;
        return (iy >= 0 && iy < g.height && ix >= 0 && ix < g.width) ? x[col.base + (long long)iy * g.width + ix] : 0.0f;
    }

    __device__ void store(int n, int f, int j, float acc) const
    {
        if (j < taps) weight_partials[((long long)n * g.filters + f) * taps + j] = acc;
        else bias_partials[(long long)n * g.filters + f] = acc;
    }
};

// One entry point per problem and tile shape BM x BN (the host picks
// the one that wastes least, ConvolutionCuda.Tile); grid (column tiles x z, row tiles), GEMM_THREADS threads.
#define CONV_GEMM_ENTRIES(BM, BN)                                                                                  \
    extern "C" __global__ void __launch_bounds__(GEMM_THREADS, GEMM_MIN_BLOCKS(BM, BN)) conv_gemm_forward_m##BM##_n##BN(                      \
        ConvGeometry g, const float* __restrict__ x, const float* __restrict__ w, const float* __restrict__ b,   \
        float* __restrict__ z)                                                                                   \
    {                                                                                                            \
        implicit_gemm<ForwardProblem, BM, BN>(ForwardProblem(g, x, w, b, z));                                    \
    }                                                                                                            \
    extern "C" __global__ void __launch_bounds__(GEMM_THREADS, GEMM_MIN_BLOCKS(BM, BN)) conv_gemm_data_m##BM##_n##BN(                         \
        ConvGeometry g, const float* __restrict__ w, const float* __restrict__ dz, float* __restrict__ dx)       \
    {                                                                                                            \
        implicit_gemm<DataProblem, BM, BN>(DataProblem(g, w, dz, dx));                                           \
    }                                                                                                            \
    extern "C" __global__ void __launch_bounds__(GEMM_THREADS, GEMM_MIN_BLOCKS(BM, BN)) conv_gemm_filter_m##BM##_n##BN(                       \
        ConvGeometry g, const float* __restrict__ x, const float* __restrict__ dz,                                \
        float* __restrict__ weight_partials, float* __restrict__ bias_partials)                                  \
    {                                                                                                            \
        implicit_gemm<FilterProblem, BM, BN>(FilterProblem(g, x, dz, weight_partials, bias_partials));           \
    }

CONV_GEMM_ENTRIES(64, 128)
CONV_GEMM_ENTRIES(32, 128)
CONV_GEMM_ENTRIES(16, 128)
CONV_GEMM_ENTRIES(64, 32)
CONV_GEMM_ENTRIES(32, 32)
CONV_GEMM_ENTRIES(16, 32)

// The pool of a pooled forward pass: per output, the first maximum of its window of z in row-major order
// (a later value wins only when strictly greater) and the winner's position within its conv plane.
extern "C" __global__ void conv2d_pool(ConvGeometry g, const float* __restrict__ z, float* __restrict__ y, int* __restrict__ pool_index)
{
    long long windows = (long long)g.out_height * g.out_width;
    long long total = (long long)g.batch * g.filters * windows;
    int plane = g.conv_height * g.conv_width;
    for (long long t = global_thread(); t < total; t += grid_stride())
    {
        int px = (int)(t % g.out_width);
        int py = (int)((t / g.out_width) % g.out_height);
        const float* zp = z + (t / windows) * plane;
        int oy0 = py * g.pool_stride, ox0 = px * g.pool_stride;
        int best_index = oy0 * g.conv_width + ox0;
        float best = zp[best_index];
        for (int wy = 0; wy < g.pool_size; wy++)
        {
            for (int wx = 0; wx < g.pool_size; wx++)
            {
                int q = (oy0 + wy) * g.conv_width + ox0 + wx;
                float v = zp[q];
                if (v > best) { best = v; best_index = q; }
            }
        }
        y[t] = best;
        pool_index[t] = best_index;
    }
}

// dz for every conv position of the batch: dy routed through the pool winners and masked by ReLU.
extern "C" __global__ void conv2d_output_gradient(
    ConvGeometry g, const float* __restrict__ y, const int* __restrict__ pool_index, const float* __restrict__ dy,
    float* __restrict__ dz)
{
    long long plane = (long long)g.conv_height * g.conv_width;
    long long out_plane = g.pool_size > 0 ? (long long)g.out_height * g.out_width : plane;
    long long total = (long long)g.batch * g.filters * plane;
    for (long long t = global_thread(); t < total; t += grid_stride())
    {
        int ox = (int)(t % g.conv_width);
        int oy = (int)((t / g.conv_width) % g.conv_height);
        dz[t] = conv_output_gradient(g, y, pool_index, dy, (t / plane) * out_plane, oy, ox);
    }
}
