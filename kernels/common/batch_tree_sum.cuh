// The batch tree (docs/numerics.md, "Sums over the batch") over strided per-sample values, run by one thread: chunks of 16 samples summed from +0 in
// ascending order, then a pairwise tree over the chunk sums padded with +0 to a power of two.
#pragma once
#include "batch_tree.cuh"

#define BATCH_TREE_CHUNK BATCH_CHUNK

// The tree is built left to right on a stack of complete subtrees (a binary counter): a new chunk sum merges with
// the top while the top's subtree has its height, left + right. What remains at the end are the subtrees of the
// binary digits of the chunk count; folding them from the top, lower + upper, is the padded tree, because a
// padding leaf of +0 leaves its sibling unchanged (a sum from +0 is never -0). 32 levels cover any int count.
__device__ __forceinline__ float batch_tree_sum(const float* values, long long stride, int count)
{
    float sums[32];
    int heights[32];
    int top = 0;
    for (int first = 0; first < count; first += BATCH_TREE_CHUNK)
    {
        int end = min(count, first + BATCH_TREE_CHUNK);
        float s = 0.0f;
        for (int n = first; n < end; n++) s = s + values[n * stride];
        int height = 0;
        while (top > 0 && heights[top - 1] == height)
        {
            s = sums[top - 1] + s;
            top--;
            height++;
        }
        sums[top] = s;
        heights[top] = height;
        top++;
    }
    float total = sums[top - 1];
    for (int i = top - 2; i >= 0; i--) total = sums[i] + total;
    return total;
}
