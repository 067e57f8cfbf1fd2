// A register-tiled GEMM whose operands a "problem" gathers on the fly (implicit GEMM):
//     C[z](i, j) = fma chain from +0 over r = 0, 1, ..., R-1 of A[z](i, r) * B[z](r, j)
// Every output is one chain in ascending r, whatever the tile shape, so a problem whose canonical order is
// such a chain (docs/numerics.md: a convolution over (c, ky, kx), its input gradient over (f, ky, kx), a
// weight partial over positions) gets its reference bits. Operands outside the problem (rows, columns or
// reduction indices past its end, padding taps) are loaded as 0: fma(a, 0, acc) and fma(0, b, acc) leave an
// accumulator that started at +0 unchanged, so padding the tiles changes no bit.
//
// A block computes a BM x BN tile of one z with GEMM_THREADS threads in 8 rows x 16 columns; a thread
// owns TM = BM / 8 rows and TN = BN / 16 columns (for BN = 128, two groups of 4, 64 apart, so that a
// quarter-warp's 16-byte shared loads cover 128 contiguous bytes). Narrow tiles (BN = 32) serve problems
// with few columns, where a wide tile would mostly multiply padding. Tiles of GEMM_BK reduction indices are staged in shared memory, double
// buffered: the next tile's global loads are in flight in registers while the current one is multiplied.
//
// A problem P provides:
//   int M, N, R;                          rows, columns, reduction length
//   int4 entry(int z, int r)               per reduction index: computed once per tile into shared memory
//   long long row(int z, int i)            per row a thread loads A for (per tile: keep it cheap)
//   float a(long long row, int4 e)         A(i, r); rows and r are in range when called
//   P::Column column(int z, int j)         per column a thread loads B for (once)
//   float b(const P::Column&, int4 e)      B(r, j); j and r are in range when called
//   void store(int z, int i, int j, float) the finished chain of an output in range
#pragma once

#define GEMM_BK 16
#define GEMM_THREADS 128

// Blocks per multiprocessor the register allocation must allow: 5 for the 32 x 128 tile (96 registers a thread;
// unbounded it takes 105 and fits 4); the others what they reach unbounded (64 x 128 bounded to 4 blocks, 128
// registers, spills up to 208 bytes a thread).
#define GEMM_MIN_BLOCKS(BM, BN) \
    ((BN) == 128 ? ((BM) == 64 ? 3 : (BM) == 32 ? 5 : 6) : ((BM) == 64 ? 5 : (BM) == 32 ? 8 : 12))

template <class P, int BM, int BN>
__device__ __forceinline__ void implicit_gemm(const P& p)
{
    constexpr int BK = GEMM_BK, THREADS = GEMM_THREADS;
    constexpr int TM = BM / 8, TN = BN / 16;
    constexpr int A_LOADS = BM * BK / THREADS;
    constexpr int A_ROW_STEP = THREADS / BK;
    constexpr int B_LOADS = BK * BN / THREADS;
    constexpr int B_ROW_STEP = THREADS / BN;
    static_assert(BM % 8 == 0 && A_LOADS >= 1, "BM must be a multiple of 8 and at least 16");
    static_assert((BN == 128 || BN == 64 || BN == 32) && B_ROW_STEP >= 1, "BN must be 32, 64 or 128");

    __shared__ __align__(16) float as[2][BK][BM + 4];
    __shared__ __align__(16) float bs[2][BK][BN];
    __shared__ int4 entries[2][BK];

    const int tiles_j = (p.N + BN - 1) / BN;
    const int z = blockIdx.x / tiles_j;
    const int j0 = (blockIdx.x - z * tiles_j) * BN;
    const int i0 = blockIdx.y * BM;
    const int t = threadIdx.x;

    // Loads: A element (row t / BK + q * A_ROW_STEP, reduction t % BK); B element (reduction t / BN + q *
    // B_ROW_STEP, column t % BN).
    // A's rows are recomputed per tile (a multiply) rather than kept: registers are what bounds the occupancy.
    const int a_r = t % BK;
    const int b_j = t % BN, b_r = t / BN;
    const bool b_ok = j0 + b_j < p.N;
    const typename P::Column b_column = p.column(z, b_ok ? j0 + b_j : j0);

    const int tiles_r = (p.R + BK - 1) / BK;
    float a_next[A_LOADS], b_next[B_LOADS];
    if (t < BK) entries[0][t] = p.entry(z, t < p.R ? t : 0);
    __syncthreads();

    auto load = [&](int tile) {
        const int buffer = tile & 1;
        const int r_a = tile * BK + a_r;
        const int4 e_a = entries[buffer][a_r];
#pragma unroll
        for (int q = 0; q < A_LOADS; q++)
        {
            const int i = i0 + t / BK + q * A_ROW_STEP;
            a_next[q] = (i < p.M && r_a < p.R) ? p.a(p.row(z, i), e_a) : 0.0f;
        }
#pragma unroll
        for (int q = 0; q < B_LOADS; q++)
        {
            const int r_b = tile * BK + b_r + q * B_ROW_STEP;
            b_next[q] = (b_ok && r_b < p.R) ? p.b(b_column, entries[buffer][b_r + q * B_ROW_STEP]) : 0.0f;
        }
    };
    load(0);

    float acc[TM][TN];
#pragma unroll
    for (int m = 0; m < TM; m++)
#pragma unroll
        for (int n = 0; n < TN; n++) acc[m][n] = 0.0f;

    const int ty = t / 16, tx = t % 16;
    for (int tile = 0; tile < tiles_r; tile++)
    {
        const int buffer = tile & 1;
#pragma unroll
        for (int q = 0; q < A_LOADS; q++) as[buffer][a_r][t / BK + q * A_ROW_STEP] = a_next[q];
#pragma unroll
        for (int q = 0; q < B_LOADS; q++) bs[buffer][b_r + q * B_ROW_STEP][b_j] = b_next[q];
        if (t < BK && tile + 1 < tiles_r)
        {
            int r = (tile + 1) * BK + t;
            entries[buffer ^ 1][t] = p.entry(z, r < p.R ? r : 0);
        }
        __syncthreads();
        if (tile + 1 < tiles_r) load(tile + 1);

#pragma unroll
        for (int k = 0; k < BK; k++)
        {
            float a[TM], b[TN];
#pragma unroll
            for (int m = 0; m < TM; m += (TM % 4 == 0 ? 4 : 2))
            {
                if (TM % 4 == 0)
                {
                    float4 v = *reinterpret_cast<const float4*>(&as[buffer][k][ty * TM + m]);
                    a[m] = v.x; a[m + 1] = v.y; a[m + 2] = v.z; a[m + 3] = v.w;
                }
                else
                {
                    float2 v = *reinterpret_cast<const float2*>(&as[buffer][k][ty * TM + m]);
                    a[m] = v.x; a[m + 1] = v.y;
                }
            }
            if (TN == 8)
            {
                float4 b0 = *reinterpret_cast<const float4*>(&bs[buffer][k][tx * 4]);
                float4 b1 = *reinterpret_cast<const float4*>(&bs[buffer][k][64 + tx * 4]);
                b[0] = b0.x; b[1] = b0.y; b[2] = b0.z; b[3] = b0.w;
                b[4 % TN] = b1.x; b[5 % TN] = b1.y; b[6 % TN] = b1.z; b[7 % TN] = b1.w;
            }
            else if (TN == 4)
            {
                float4 b0 = *reinterpret_cast<const float4*>(&bs[buffer][k][tx * 4]);
                b[0] = b0.x; b[1 % TN] = b0.y; b[2 % TN] = b0.z; b[3 % TN] = b0.w;
            }
            else
            {
                float2 b0 = *reinterpret_cast<const float2*>(&bs[buffer][k][tx * 2]);
                b[0] = b0.x; b[1 % TN] = b0.y;
            }
#pragma unroll
            for (int m = 0; m < TM; m++)
#pragma unroll
                for (int n = 0; n < TN; n++) acc[m][n] = __fmaf_rn(a[m], b[n], acc[m][n]);
        }
    }

#pragma unroll
    for (int m = 0; m < TM; m++)
    {
        const int i = i0 + ty * TM + m;
        if (i >= p.M) continue;
#pragma unroll
        for (int n = 0; n < TN; n++)
        {
            const int j = j0 + (TN == 8 ? (n / 4) * 64 + tx * 4 + (n % 4) : tx * TN + n);
            if (j < p.N) p.store(z, i, j, acc[m][n]);
        }
    }
}
