// Softmax cross-entropy per sample, with the predicted class and the gradient of the batch-mean loss.
// Canonical order: docs/numerics.md, "Softmax cross-entropy". Compiled with -fmad=false.
#include "common/reductions.cuh"
#include "common/deterministic_math.cuh"

// One thread per sample. labels == nullptr: predictions only. losses / gradient may be nullptr.
extern "C" __global__ void softmax_cross_entropy(
    int batch, int classes, const float* __restrict__ logits, const int* __restrict__ labels,
    float* __restrict__ losses, int* __restrict__ predictions, float* __restrict__ gradient)
{
    float batch_size = (float)batch;
    for (long long n = global_thread(); n < batch; n += grid_stride())
    {
        const float* z = logits + n * classes;
        float max = z[0];
        int arg_max = 0;
        for (int c = 1; c < classes; c++)
        {
            if (z[c] > max)
            {
                max = z[c];
                arg_max = c;
            }
        }
        if (predictions != nullptr) predictions[n] = arg_max;
        if (labels == nullptr) continue;

        int label = labels[n];
        float sum = 0.0f;
        for (int c = 0; c < classes; c++) sum = sum + dm_exp(z[c] - max);
        if (losses != nullptr) losses[n] = dm_log(sum) - (z[label] - max);
        if (gradient != nullptr)
        {
            for (int c = 0; c < classes; c++)
            {
                float p = dm_exp(z[c] - max) / sum;
                gradient[n * classes + c] = (c == label ? p - 1.0f : p) / batch_size;
            }
        }
    }
}

// The same per-sample arithmetic with a warp per sample and a lane per class (at most 32 classes): the
// exps run side by side, lane 0 adds them from +0 in class order and takes the log. The maximum and its
// first index are exact, so finding them by a shuffle tree gives the sequential scan's result.
extern "C" __global__ void softmax_cross_entropy_warp(
    int batch, int classes, const float* __restrict__ logits, const int* __restrict__ labels,
    float* __restrict__ losses, int* __restrict__ predictions, float* __restrict__ gradient)
{
    int lane = threadIdx.x & 31;
    long long n = global_thread() / 32;
    if (n >= batch) return;
    const float* z = logits + n * classes;
    bool present = lane < classes;
    float value = present ? z[lane] : __int_as_float(0xFF800000);
    float max = value;
    int arg_max = present ? lane : 32;
    for (int h = 16; h >= 1; h >>= 1)
    {
        float other = __shfl_xor_sync(FULL_WARP, max, h);
        int other_index = __shfl_xor_sync(FULL_WARP, arg_max, h);
        if (other > max || (other == max && other_index < arg_max))
        {
            max = other;
            arg_max = other_index;
        }
    }
    if (predictions != nullptr && lane == 0) predictions[n] = arg_max;
    if (labels == nullptr) return;

    int label = labels[n];
    float e = present ? dm_exp(value - max) : 0.0f;
    float sum = 0.0f;
    for (int c = 0; c < classes; c++) sum = sum + __shfl_sync(FULL_WARP, e, c);
    float target = __shfl_sync(FULL_WARP, value, label);  // every lane takes part in the shuffle
    if (losses != nullptr && lane == 0) losses[n] = dm_log(sum) - (target - max);
    if (gradient != nullptr && present)
    {
        float p = e / sum;
        gradient[n * classes + lane] = (lane == label ? p - 1.0f : p) / (float)batch;
    }
}

// The step guard of TrainerOptions.SkipNonFiniteSteps: guard[0] = 1 when every loss of the step is finite, else 0;
// the optimizer's update reads it and leaves the parameters and its state untouched for a 0. One block.
extern "C" __global__ void step_guard(int batch, const float* __restrict__ losses, int* __restrict__ guard)
{
    int bad = 0;
    for (int n = threadIdx.x; n < batch; n += blockDim.x)
    {
        float l = losses[n];
        bad |= !(l - l == 0.0f);   // false for NaN and for either infinity
    }
    bad = __syncthreads_or(bad);
    if (threadIdx.x == 0) guard[0] = bad ? 0 : 1;
}
