using System.Runtime.Intrinsics;

namespace CnnTrain.Optimizers;

/// <summary>
/// The batch gradient every update starts from: the sum from +0, in ascending order, of a tensor's partials
/// (the per-sample partials of a convolution, or the one reduced gradient of a dense layer; docs/numerics.md).
/// One copy for every optimizer, scalar and eight lanes at a time; kernels/common/update.cuh is its CUDA twin.
/// </summary>
internal static unsafe class GradientSum
{
    public static float At(ReadOnlySpan<float> gradient, int length, int partials, int i)
    {
        float g = 0f;
        for (int k = 0; k < partials; k++)
        {
            g += gradient[(k * length) + i];
        }

        return g;
    }

    public static Vector256<float> At(float* gradient, long length, int partials, int i)
    {
        Vector256<float> g = Vector256<float>.Zero;
        for (int k = 0; k < partials; k++)
        {
            g += Vector256.Load(gradient + (k * length) + i);
        }

        return g;
    }
}
