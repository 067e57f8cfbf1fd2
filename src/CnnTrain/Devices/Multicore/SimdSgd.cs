using System.Runtime.Intrinsics;

namespace CnnTrain.Devices.Multicore;

/// <summary>The SGD update of docs/numerics.md, 8 parameters per vector, over a range of one tensor.</summary>
internal static unsafe class SimdSgd
{
    private const int Width = 8;

    public static void UpdateRange(
        float* values, float* gradient, int length, int partialCount, float* velocity, int start, int end,
        float learningRate, float momentum, float weightDecay)
    {
        var mu = Vector256.Create(momentum);
        var lambda = Vector256.Create(weightDecay);
        var eta = Vector256.Create(-learningRate);
        int i = start;
        for (; i + Width <= end; i += Width)
        {
            Vector256<float> g = Vector256<float>.Zero;
            for (int k = 0; k < partialCount; k++)
            {
                g += Vector256.Load(gradient + ((long)k * length) + i);
            }

            Vector256<float> w = Vector256.Load(values + i);
            if (weightDecay != 0f)
            {
                g = Vector256.FusedMultiplyAdd(lambda, w, g);
            }

            Vector256<float> v = Vector256.FusedMultiplyAdd(mu, Vector256.Load(velocity + i), g);
            Vector256.Store(v, velocity + i);
            Vector256.Store(Vector256.FusedMultiplyAdd(eta, v, w), values + i);
        }

        for (; i < end; i++)
        {
            float g = 0f;
            for (int k = 0; k < partialCount; k++)
            {
                g += gradient[((long)k * length) + i];
            }

            if (weightDecay != 0f)
            {
                g = MathF.FusedMultiplyAdd(weightDecay, values[i], g);
            }

            float v = MathF.FusedMultiplyAdd(momentum, velocity[i], g);
            velocity[i] = v;
            values[i] = MathF.FusedMultiplyAdd(-learningRate, v, values[i]);
        }
    }
}
