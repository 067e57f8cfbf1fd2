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
