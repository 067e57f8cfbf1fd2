using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace CnnTrain.Ops;

/// <summary>
/// The average pool forward of one plane in vector lanes (<see cref="PoolLanes"/>), for every window and
/// stride: each lane sums its window from +0 in row-major order and divides once, the order of
/// <see cref="AvgPoolReference.ForwardPlane"/>.
/// </summary>
internal static unsafe class AvgPoolLanes
{
    /// <summary>Whether <see cref="ForwardPlane"/> applies (else the reference loops run; a global pool is one output).</summary>
    public static bool Applies(in AvgPool2DDescriptor d) => PoolLanes.Applies(d.OutputHeight * d.OutputWidth);

    /// <summary>The plane's window averages.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void ForwardPlane(in AvgPool2DDescriptor d, ReadOnlySpan<float> plane, Span<float> output)
    {
        int outputs = d.OutputHeight * d.OutputWidth;
        Vector256<float> elements = Vector256.Create(d.WindowElements);
        fixed (float* px = plane, py = output)
        {
            for (int o = 0; o < outputs; o += PoolLanes.Width)
            {
                int first = PoolLanes.First(o, outputs);
                Vector256<int> origins = PoolLanes.Origins(first, d.OutputWidth, d.StrideY, d.StrideX, d.InputWidth);
                Vector256<float> sum = Vector256<float>.Zero;
                for (int wy = 0; wy < d.WindowHeight; wy++)
                {
                    for (int wx = 0; wx < d.WindowWidth; wx++)
                    {
                        sum += PoolLanes.Gather(px, origins, (wy * d.InputWidth) + wx);
                    }
                }

                Vector256.Store(sum / elements, py + first);
            }
        }
    }
}
