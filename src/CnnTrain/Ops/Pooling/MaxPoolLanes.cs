using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace CnnTrain.Ops;

/// <summary>
/// The max pool forward of one plane in vector lanes (<see cref="PoolLanes"/>), for every window and stride:
/// a lane starts at its window's first element and takes a later one only when strictly greater, in row-major
/// order, so the first maximum wins exactly as in <see cref="MaxPoolReference.ForwardPlane"/>.
/// </summary>
internal static unsafe class MaxPoolLanes
{
    /// <summary>Whether <see cref="ForwardPlane"/> applies (else the reference loops run).</summary>
    public static bool Applies(in Pool2DDescriptor d) => PoolLanes.Applies(d.OutputHeight * d.OutputWidth);

    /// <summary>The plane's pooled values and the input offset of each window's winner.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void ForwardPlane(in Pool2DDescriptor d, ReadOnlySpan<float> plane, Span<float> output, Span<int> indices)
    {
        int outputs = d.OutputHeight * d.OutputWidth;
        fixed (float* px = plane, py = output)
        fixed (int* pi = indices)
        {
            for (int o = 0; o < outputs; o += PoolLanes.Width)
            {
                int first = PoolLanes.First(o, outputs);
                Vector256<int> origins = PoolLanes.Origins(first, d.OutputWidth, d.Stride, d.Stride, d.InputWidth);
                Vector256<float> max = PoolLanes.Gather(px, origins, 0);
                Vector256<int> best = origins;
                for (int wy = 0; wy < d.Size; wy++)
                {
                    for (int wx = wy == 0 ? 1 : 0; wx < d.Size; wx++)
                    {
                        int offset = (wy * d.InputWidth) + wx;
                        Vector256<float> candidate = PoolLanes.Gather(px, origins, offset);
                        Vector256<float> greater = Vector256.GreaterThan(candidate, max);
                        max = Vector256.ConditionalSelect(greater, candidate, max);
                        best = Vector256.ConditionalSelect(greater.AsInt32(), origins + Vector256.Create(offset), best);
                    }
                }

                Vector256.Store(max, py + first);
                Vector256.Store(best, pi + first);
            }
        }
    }
}
