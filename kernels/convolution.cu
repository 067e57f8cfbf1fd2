// The convolution block (convolution + bias, optional ReLU, optional max pool): forward and backward.
// Canonical orders: docs/numerics.md, "Convolution block". Compiled with -fmad=false; fma only as __fmaf_rn.
#include "common/reductions.cuh"

// Mirrors CudaConvolutionGeometry in src/CnnTrain/Devices/Cuda/Kernels: fifteen ints, in this order.
struct ConvGeometry
{
    int batch, channels, height, width;
    int filters, kernel, stride, padding;
    int conv_height, conv_width, relu;
    int pool_size, pool_stride, out_height, out_width;
};

// z = (fma chain from +0 over c, ky, kx of w * x) + bias; padding taps are skipped.
// K > 0 fixes the kernel size at compile time so the tap loops unroll; K == 0 reads it from g.
template <int K>
__device__ __forceinline__ float convolve_at(const ConvGeometry& g, const float* __restrict__ xn, const float* __restrict__ wf, float bias, int oy, int ox)
{
    const int k = K > 0 ? K : g.kernel;
    float acc = 0.0f;
    for (int c = 0; c < g.channels; c++)
    {
        const float* xc = xn + (long long)c * g.height * g.width;
        const float* wc = wf + c * k * k;
#pragma unroll
        for (int ky = 0; ky < k; ky++)
        {
            int iy = oy * g.stride + ky - g.padding;
            if (iy < 0 || iy >= g.height) continue;
#pragma unroll
            for (int kx = 0; kx < k; kx++)
            {
                int ix = ox * g.stride + kx - g.padding;
                if (ix < 0 || ix >= g.width) continue;
                acc = __fmaf_rn(wc[ky * k + kx], xc[iy * g.width + ix], acc);
            }
        }
    }
    return acc + bias;
}

// One thread per block output. A pooled output evaluates its window's convolutions (overlapping windows
// recompute shared ones, identically) and keeps the first maximum in row-major order.
template <int K>
__device__ void conv2d_forward_body(
    const ConvGeometry& g, const float* __restrict__ x, const float* __restrict__ w, const float* __restrict__ b,
    float* __restrict__ y, int* __restrict__ pool_index)
{
    long long plane = (long long)g.out_height * g.out_width;
    long long total = (long long)g.batch * g.filters * plane;
    for (long long t = global_thread(); t < total; t += grid_stride())
    {
        int px = (int)(t % g.out_width);
        int py = (int)((t / g.out_width) % g.out_height);
        int f = (int)((t / plane) % g.filters);
        long long n = t / (plane * g.filters);
        const float* xn = x + n * g.channels * g.height * g.width;
        const float* wf = w + (long long)f * g.channels * g.kernel * g.kernel;
        float bias = b[f];
        if (g.pool_size == 0)
        {
            y[t] = activate(convolve_at<K>(g, xn, wf, bias, py, px), g.relu);
            continue;
        }

        int oy0 = py * g.pool_stride, ox0 = px * g.pool_stride;
        float best = activate(convolve_at<K>(g, xn, wf, bias, oy0, ox0), g.relu);
        int best_index = oy0 * g.conv_width + ox0;
        for (int wy = 0; wy < g.pool_size; wy++)
        {
            for (int wx = 0; wx < g.pool_size; wx++)
            {
                if (wy == 0 && wx == 0) continue;
                float v = activate(convolve_at<K>(g, xn, wf, bias, oy0 + wy, ox0 + wx), g.relu);
                if (v > best)
                {
                    best = v;
                    best_index = (oy0 + wy) * g.conv_width + ox0 + wx;
                }
            }
        }
        y[t] = best;
        pool_index[t] = best_index;
    }
}

extern "C" __global__ void conv2d_forward(
    ConvGeometry g, const float* __restrict__ x, const float* __restrict__ w, const float* __restrict__ b,
    float* __restrict__ y, int* __restrict__ pool_index)
{
    conv2d_forward_body<0>(g, x, w, b, y, pool_index);
}

// The same body with 3x3 kernels unrolled (the study's network).
extern "C" __global__ void conv2d_forward_k3(
    ConvGeometry g, const float* __restrict__ x, const float* __restrict__ w, const float* __restrict__ b,
    float* __restrict__ y, int* __restrict__ pool_index)
{
    conv2d_forward_body<3>(g, x, w, b, y, pool_index);
}

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

#define SLOT_TILE 128
#define MAX_GROUP 8

// Per-sample partial gradients. A block owns one sample and a group of filters; each thread runs one
// chain: a weight's fma chain over the conv positions in row-major order, or (the last chain of a filter)
// the bias sum. When a filter's chains are few, several filters share a warp (filters_per_block > 1);
// when they are many, grid.y splits them (filters_per_block == 1).
// Each filter's positions are walked as "slots" staged in shared memory, in tiles: for non-overlapping
// pools only window winners can carry gradient, so slot (conv row r, window column px) holds window
// (r / Q, px)'s winner with its gradient if the winner lies on row r, else the same winner with a zero;
// otherwise a slot is every conv position. A zero term leaves a chain unchanged (docs/numerics.md), so
// both walks give the reference bits, and every lane does the same work.
extern "C" __global__ void conv2d_backward_filter(
    ConvGeometry g, const float* __restrict__ x, const float* __restrict__ y, const int* __restrict__ pool_index,
    const float* __restrict__ dy, float* __restrict__ weight_partials, float* __restrict__ bias_partials, int filters_per_block)
{
    __shared__ float slot_gradient[MAX_GROUP][SLOT_TILE];
    __shared__ int slot_row[MAX_GROUP][SLOT_TILE];     // top input row of the slot's window: oy * stride - padding
    __shared__ int slot_column[MAX_GROUP][SLOT_TILE];  // left input column: ox * stride - padding

    int taps = g.channels * g.kernel * g.kernel;
    int chains = taps + 1;
    int groups = (g.filters + filters_per_block - 1) / filters_per_block;
    long long n = blockIdx.x / groups;
    int first_filter = (blockIdx.x % groups) * filters_per_block;
    int member = filters_per_block > 1 ? threadIdx.x / chains : 0;
    int chain = filters_per_block > 1 ? threadIdx.x % chains : blockIdx.y * blockDim.x + threadIdx.x;
    int f = first_filter + member;
    bool active = member < filters_per_block && f < g.filters && chain < chains;
    bool is_bias = chain == taps;
    int c = 0, ky = 0, kx = 0;
    if (chain < taps)
    {
        c = chain / (g.kernel * g.kernel);
        ky = (chain / g.kernel) % g.kernel;
        kx = chain % g.kernel;
    }

    bool winners_only = g.pool_size > 0 && g.pool_stride >= g.pool_size;
    int per_row = winners_only ? g.out_width : g.conv_width;
    int slots = (winners_only ? g.out_height * g.pool_size : g.conv_height) * per_row;
    long long out_plane = g.pool_size > 0 ? (long long)g.out_height * g.out_width : (long long)g.conv_height * g.conv_width;
    const float* xc = x + (n * g.channels + c) * g.height * g.width;

    float acc = 0.0f;
    for (int first = 0; first < slots; first += SLOT_TILE)
    {
        int count = min(SLOT_TILE, slots - first);
        for (int e = threadIdx.x; e < filters_per_block * count; e += blockDim.x)
        {
            int m = e / count, s = e % count;
            int filter = first_filter + m;
            if (filter >= g.filters) continue;
            long long plane_offset = (n * g.filters + filter) * out_plane;
            int slot = first + s;
            int r = slot / per_row, col = slot % per_row;
            float gradient;
            int position;
            if (winners_only)
            {
                int py = r / g.pool_size, dr = r % g.pool_size;
                long long p = plane_offset + (long long)py * g.out_width + col;
                position = pool_index[p];
                gradient = position / g.conv_width == py * g.pool_stride + dr ? mask(y[p], dy[p], g.relu) : 0.0f;
            }
            else
            {
                position = r * g.conv_width + col;
                gradient = conv_output_gradient(g, y, pool_index, dy, plane_offset, r, col);
            }
            slot_gradient[m][s] = gradient;
            slot_row[m][s] = (position / g.conv_width) * g.stride - g.padding;
            slot_column[m][s] = (position % g.conv_width) * g.stride - g.padding;
        }
        __syncthreads();

        if (active)
        {
            if (is_bias)
            {
                for (int s = 0; s < count; s++) acc = acc + slot_gradient[member][s];
            }
            else
            {
                for (int s = 0; s < count; s++)
                {
                    int iy = slot_row[member][s] + ky;
                    int ix = slot_column[member][s] + kx;
                    if (iy < 0 || iy >= g.height || ix < 0 || ix >= g.width) continue;
                    acc = __fmaf_rn(slot_gradient[member][s], xc[iy * g.width + ix], acc);
                }
            }
        }
        __syncthreads();
    }

    if (!active) return;
    if (is_bias) bias_partials[n * g.filters + f] = acc;
    else weight_partials[(n * g.filters + f) * taps + chain] = acc;
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

// dx[n, c, iy, ix] = fma chain from +0 over f, ky, kx of w * dz, for the taps that reach (iy, ix).
extern "C" __global__ void conv2d_backward_data(
    ConvGeometry g, const float* __restrict__ w, const float* __restrict__ y, const int* __restrict__ pool_index,
    const float* __restrict__ dy, float* __restrict__ dx)
{
    long long in_plane = (long long)g.height * g.width;
    long long total = (long long)g.batch * g.channels * in_plane;
    long long out_plane = g.pool_size > 0 ? (long long)g.out_height * g.out_width : (long long)g.conv_height * g.conv_width;
    for (long long t = global_thread(); t < total; t += grid_stride())
    {
        int ix = (int)(t % g.width);
        int iy = (int)((t / g.width) % g.height);
        int c = (int)((t / in_plane) % g.channels);
        long long n = t / (in_plane * g.channels);
        float acc = 0.0f;
        for (int f = 0; f < g.filters; f++)
        {
            long long plane_offset = (n * g.filters + f) * out_plane;
            for (int ky = 0; ky < g.kernel; ky++)
            {
                int ty = iy + g.padding - ky;
                if (ty < 0 || ty % g.stride != 0 || ty / g.stride >= g.conv_height) continue;
                for (int kx = 0; kx < g.kernel; kx++)
                {
                    int tx = ix + g.padding - kx;
                    if (tx < 0 || tx % g.stride != 0 || tx / g.stride >= g.conv_width) continue;
                    float dz = conv_output_gradient(g, y, pool_index, dy, plane_offset, ty / g.stride, tx / g.stride);
                    acc = __fmaf_rn(w[((f * g.channels + c) * g.kernel + ky) * g.kernel + kx], dz, acc);
                }
            }
        }
        dx[t] = acc;
    }
}
