// The batch tree (docs/numerics.md, "Sums over the batch"): samples form chunks of BATCH_CHUNK; each chunk's
// partial is a sum from +0 over its partials in ascending order; the chunks' partials are the leaves of one
// binary tree, padded with +0 to a power of two and halved pairwise (left + right).
#pragma once

// Mirrors BatchTree.BatchChunk (src/CnnTrain/Numerics/BatchTree.cs); a test compares the two.
#define BATCH_CHUNK 16

// The update kernels' blocks for a tensor of several partials: TREE_COLUMNS elements, TREE_ROWS warps.
#define TREE_COLUMNS 32
#define TREE_ROWS 8
// Stack levels of the update kernels: TREE_LEVELS in general, TREE_SHALLOW_LEVELS in the variants the host picks
// when every tensor of the launch has fewer than 2^TREE_SHALLOW_LEVELS chunks (batches below 4096 samples). A push
// costs a few instructions per level, so the shallow stack is what small batches run.
#define TREE_LEVELS 24
#define TREE_SHALLOW_LEVELS 8
static_assert(TREE_ROWS == 8, "tree_gradient joins a round's leaves as a subtree of 8");

// The chunks of `partials` partials, `per_chunk` (1 or BATCH_CHUNK) to a chunk.
__device__ __forceinline__ long long tree_chunks(long long partials, long long per_chunk)
{
    return (partials - 1) / per_chunk + 1;
}

// The stack of complete subtrees a tree is built on, left to right: leaf k joins its left neighbours once per
// trailing one bit of k. Its level loops unroll with static indices and predicates (no early exit, which would
// send the array to local memory), so it lives in registers; LEVELS bounds the leaves at 2^LEVELS - 1.
template <int LEVELS>
struct TreeStack
{
    float level[LEVELS];

    __device__ __forceinline__ void push(float t, long long k)
    {
        bool placed = false;
#pragma unroll
        for (int l = 0; l < LEVELS; l++)
        {
            bool merge = !placed && ((k >> l) & 1);
            if (!placed && !merge) level[l] = t;
            if (merge) t = level[l] + t;
            placed = placed || !merge;
        }
    }

    // What the stack holds once `leaves` leaves were pushed (a subtree of 2^l leaves for each one bit l of
    // `leaves`), combined from the smallest up: the padded tree, because x + (+0) = x for every x but -0, and a sum
    // from +0 is never -0.
    __device__ __forceinline__ float fold(long long leaves) const
    {
        float g = 0.0f;
        bool any = false;
#pragma unroll
        for (int l = 0; l < LEVELS; l++)
        {
            bool bit = (leaves >> l) & 1;
            g = bit ? (any ? level[l] + g : level[l]) : g;
            any = any || bit;
        }
        return g;
    }
};

// The batch gradient of elements [first, first + columns) of a tensor whose gradient holds `partials` partials
// of `length` elements end to end, `per_chunk` to a chunk; every thread of a block of TREE_ROWS * TREE_COLUMNS
// threads must call it, and thread c < columns receives element first + c's gradient (others receive 0).
// Per round, warp r reduces chunk 8 * round + r for the block's 32 elements (up to BATCH_CHUNK loads in flight
// per thread); warp 0 then joins the round's 8 chunks as one complete subtree of 8 leaves (chunks past the end
// are +0, which the padded tree adds too) and pushes it onto a stack of complete subtrees: round k joins its
// left neighbours once per trailing one bit of k. What is left combines from the smallest subtree up, which is
// the padded tree because x + (+0) = x for every x but -0, and a sum from +0 is never -0.
template <int LEVELS>
__device__ __forceinline__ float tree_gradient(
    const float* __restrict__ gradient, long long length, long long partials, long long per_chunk, long long first, int columns)
{
    __shared__ float leaves[TREE_ROWS][TREE_COLUMNS + 1];
    int c = threadIdx.x % TREE_COLUMNS, r = threadIdx.x / TREE_COLUMNS;
    long long chunks = tree_chunks(partials, per_chunk);
    long long rounds = (chunks - 1) / TREE_ROWS + 1;
    TreeStack<LEVELS> stack;
    const float* column = gradient + first + c;
    for (long long k = 0; k < rounds; k++)
    {
        long long j = k * TREE_ROWS + r;
        float s = 0.0f;
        if (c < columns && j < chunks)
        {
            long long p0 = j * per_chunk;
            int count = (int)min(per_chunk, partials - p0);
            float v[BATCH_CHUNK];
#pragma unroll
            for (int q = 0; q < BATCH_CHUNK; q++) v[q] = q < count ? column[(p0 + q) * length] : 0.0f;
#pragma unroll
            for (int q = 0; q < BATCH_CHUNK; q++)
            {
                if (q < count) s = s + v[q];
            }
        }
        __syncthreads();   // the previous round's leaves have been read
        leaves[r][c] = s;
        __syncthreads();
        if (r == 0)
        {
            float t = ((leaves[0][c] + leaves[1][c]) + (leaves[2][c] + leaves[3][c]))
                    + ((leaves[4][c] + leaves[5][c]) + (leaves[6][c] + leaves[7][c]));
            stack.push(t, k);
        }
    }
    if (r != 0 || c >= columns) return 0.0f;
    return stack.fold(rounds);
}

// A tensor of at least TREE_WIDE elements takes a thread per element, which walks the chunks itself: enough
// threads are in flight, and each keeps up to BATCH_CHUNK coalesced loads going.
#define TREE_WIDE 8192

// The batch gradient of one element (`column` points at its first partial), walked by one thread: each chunk's
// sum from +0, pushed onto a stack of complete subtrees held in registers (every index is static once the level
// loops unroll): chunk j joins its left neighbours once per trailing one bit of j. What is left combines from the
// smallest subtree up, which is the padded tree (see tree_gradient).
template <int LEVELS>
__device__ __forceinline__ float tree_gradient_of_element(const float* __restrict__ column, long long length, long long partials, long long per_chunk)
{
    long long chunks = tree_chunks(partials, per_chunk);
    TreeStack<LEVELS> stack;
    if (per_chunk == 1)
    {
        // Chunk partials: load BATCH_CHUNK chunks at a time, so a thread waits on memory once per group, not once
        // per chunk; each is its own leaf, its chunk's sum from +0 (0 + v, which turns -0 into +0 as the sum does).
        for (long long j0 = 0; j0 < chunks; j0 += BATCH_CHUNK)
        {
            int count = (int)min((long long)BATCH_CHUNK, chunks - j0);
            float v[BATCH_CHUNK];
#pragma unroll
            for (int q = 0; q < BATCH_CHUNK; q++) v[q] = q < count ? column[(j0 + q) * length] : 0.0f;
#pragma unroll
            for (int q = 0; q < BATCH_CHUNK; q++)
            {
                if (q < count) stack.push(0.0f + v[q], j0 + q);
            }
        }
        return stack.fold(chunks);
    }

    for (long long j = 0; j < chunks; j++)
    {
        long long p0 = j * per_chunk;
        int count = (int)min(per_chunk, partials - p0);
        float v[BATCH_CHUNK];
#pragma unroll
        for (int q = 0; q < BATCH_CHUNK; q++) v[q] = q < count ? column[(p0 + q) * length] : 0.0f;
        float s = 0.0f;
#pragma unroll
        for (int q = 0; q < BATCH_CHUNK; q++)
        {
            if (q < count) s = s + v[q];
        }
        stack.push(s, j);
    }
    return stack.fold(chunks);
}

// The update kernels' shared dispatch. start holds the prefix sums of the blocks each tensor takes: a tensor of
// one partial, or of at least TREE_WIDE elements, takes a thread per element; a smaller one of several partials
// TREE_COLUMNS elements per block, reduced by tree_gradient. Sets k to this block's tensor and g to this thread's
// batch gradient; returns its element, or -1 for a thread without one. Every thread of the block must call it.
template <int LEVELS, typename Tensor>
__device__ __forceinline__ long long tree_element(const Tensor* tensors, const long long* start, int& k, float& g)
{
    k = 0;
    while (blockIdx.x >= start[k + 1]) k++;
    const Tensor& t = tensors[k];
    long long block = blockIdx.x - start[k];
    if (t.partial_count == 1)
    {
        long long i = block * blockDim.x + threadIdx.x;
        if (i >= t.length) return -1;
        g = 0.0f + t.gradient[i];
        return i;
    }

    if (t.length >= TREE_WIDE)
    {
        long long i = block * blockDim.x + threadIdx.x;
        if (i >= t.length) return -1;
        g = tree_gradient_of_element<LEVELS>(t.gradient + i, t.length, t.partial_count, t.partials_per_chunk);
        return i;
    }

    long long first = block * TREE_COLUMNS;
    int columns = (int)min((long long)TREE_COLUMNS, t.length - first);
    g = tree_gradient<LEVELS>(t.gradient, t.length, t.partial_count, t.partials_per_chunk, first, columns);
    return threadIdx.x < columns ? first + threadIdx.x : -1;
}
