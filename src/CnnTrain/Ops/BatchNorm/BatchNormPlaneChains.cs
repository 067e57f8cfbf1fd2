using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace CnnTrain.Ops;

/// <summary>
/// One position of eight planes' per-sample chains (docs/numerics.md, "Batch normalisation"), lane l the chain of plane
/// l: each lane's chain sees the reference's operations in the reference's order, so the eight are the reference's.
/// </summary>
internal interface IPlaneChain
{
    /// <summary>Whether <see cref="Step"/> reads a second source (dy next to x).</summary>
    bool TwoSources { get; }

    /// <summary>Sets the accumulators to +0.</summary>
    void Begin();

    /// <summary>Extends every lane's chain by one position: <paramref name="x"/> and, with two sources, <paramref name="dy"/>.</summary>
    void Step(Vector256<float> x, Vector256<float> dy);

    /// <summary>Writes lane l's results for l &lt; <paramref name="lanes"/> at <paramref name="at"/> + l × <paramref name="stride"/>.</summary>
    void End(int at, int stride, int lanes);
}

/// <summary>
/// Walks the per-sample chains of one channel eight samples at a time, lane l the plane of sample n0 + l. Eight
/// positions of eight planes are loaded as eight vectors and transposed in registers, so each vector then holds one
/// position of the eight planes; left-over positions, and a last group of fewer than eight samples, gather their
/// lanes one by one (absent lanes read +0 and are not written).
/// </summary>
internal static unsafe class BatchNormPlaneChains
{
    private const int Width = 8;

    /// <summary>Runs <paramref name="chain"/> over channel <paramref name="c"/>'s planes of every sample.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Walk<T>(in BatchNormDescriptor d, int batch, int c, float* x, float* dy, ref T chain)
        where T : struct, IPlaneChain
    {
        int channels = d.Channels, positions = d.Positions;
        long stride = (long)channels * positions;
        for (int n0 = 0; n0 < batch; n0 += Width)
        {
            int lanes = Math.Min(Width, batch - n0);
            long first = (((long)n0 * channels) + c) * positions;
            float* xs = x + first, gs = chain.TwoSources ? dy + first : null;
            chain.Begin();
            int p = 0;
            if (lanes == Width && Avx.IsSupported)
            {
                for (; p + Width <= positions; p += Width)
                {
                    Block(xs + p, gs == null ? null : gs + p, stride, ref chain);
                }
            }

            for (; p < positions; p++)
            {
                chain.Step(Gather(xs + p, stride, lanes), gs == null ? default : Gather(gs + p, stride, lanes));
            }

            chain.End((n0 * channels) + c, channels, lanes);
        }
    }

    // Eight positions of eight planes (rows `stride` apart), each position one Step in ascending order.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Block<T>(float* x, float* dy, long stride, ref T chain)
        where T : struct, IPlaneChain
    {
        Rows r = Rows.Load(x, stride);
        Rows g = chain.TwoSources ? Rows.Load(dy, stride) : default;
        chain.Step(r.V0, g.V0);
        chain.Step(r.V1, g.V1);
        chain.Step(r.V2, g.V2);
        chain.Step(r.V3, g.V3);
        chain.Step(r.V4, g.V4);
        chain.Step(r.V5, g.V5);
        chain.Step(r.V6, g.V6);
        chain.Step(r.V7, g.V7);
    }

    private static Vector256<float> Gather(float* at, long stride, int lanes) => Vector256.Create(
        Lane(at, stride, 0, lanes), Lane(at, stride, 1, lanes), Lane(at, stride, 2, lanes), Lane(at, stride, 3, lanes),
        Lane(at, stride, 4, lanes), Lane(at, stride, 5, lanes), Lane(at, stride, 6, lanes), Lane(at, stride, 7, lanes));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Lane(float* at, long stride, int l, int lanes) => l < lanes ? at[l * stride] : 0f;

    /// <summary>Eight rows of eight floats, loaded then transposed: V<i>k</i> holds element k of every row, row l in lane l.</summary>
    private struct Rows
    {
        public Vector256<float> V0, V1, V2, V3, V4, V5, V6, V7;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Rows Load(float* row, long stride)
        {
            Vector256<float> t0 = Avx.UnpackLow(Vector256.Load(row), Vector256.Load(row + stride));
            Vector256<float> t1 = Avx.UnpackHigh(Vector256.Load(row), Vector256.Load(row + stride));
            Vector256<float> t2 = Avx.UnpackLow(Vector256.Load(row + (2 * stride)), Vector256.Load(row + (3 * stride)));
            Vector256<float> t3 = Avx.UnpackHigh(Vector256.Load(row + (2 * stride)), Vector256.Load(row + (3 * stride)));
            Vector256<float> t4 = Avx.UnpackLow(Vector256.Load(row + (4 * stride)), Vector256.Load(row + (5 * stride)));
            Vector256<float> t5 = Avx.UnpackHigh(Vector256.Load(row + (4 * stride)), Vector256.Load(row + (5 * stride)));
            Vector256<float> t6 = Avx.UnpackLow(Vector256.Load(row + (6 * stride)), Vector256.Load(row + (7 * stride)));
            Vector256<float> t7 = Avx.UnpackHigh(Vector256.Load(row + (6 * stride)), Vector256.Load(row + (7 * stride)));

            // Within each 128-bit half: columns 0/4 of rows 0-3 (u0) and 4-7 (u4), 1/5 (u1, u5), 2/6 (u2, u6), 3/7 (u3, u7).
            Vector256<float> u0 = Avx.Shuffle(t0, t2, 0x44), u1 = Avx.Shuffle(t0, t2, 0xEE);
            Vector256<float> u2 = Avx.Shuffle(t1, t3, 0x44), u3 = Avx.Shuffle(t1, t3, 0xEE);
            Vector256<float> u4 = Avx.Shuffle(t4, t6, 0x44), u5 = Avx.Shuffle(t4, t6, 0xEE);
            Vector256<float> u6 = Avx.Shuffle(t5, t7, 0x44), u7 = Avx.Shuffle(t5, t7, 0xEE);
            return new Rows
            {
                V0 = Avx.Permute2x128(u0, u4, 0x20), V1 = Avx.Permute2x128(u1, u5, 0x20),
                V2 = Avx.Permute2x128(u2, u6, 0x20), V3 = Avx.Permute2x128(u3, u7, 0x20),
                V4 = Avx.Permute2x128(u0, u4, 0x31), V5 = Avx.Permute2x128(u1, u5, 0x31),
                V6 = Avx.Permute2x128(u2, u6, 0x31), V7 = Avx.Permute2x128(u3, u7, 0x31),
            };
        }
    }
}

/// <summary>S = sum from +0 of x per plane, into <c>Sums</c>.</summary>
internal unsafe struct SumChain(float* sums) : IPlaneChain
{
    private Vector256<float> _sum;

    public readonly bool TwoSources => false;

    public void Begin() => _sum = Vector256<float>.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Step(Vector256<float> x, Vector256<float> dy) => _sum += x;

    public readonly void End(int at, int stride, int lanes) => PlaneLanes.Store(_sum, sums, at, stride, lanes);
}

/// <summary>D = fma chain from +0 of (x - mean)² per plane, into <c>Sums</c>.</summary>
internal unsafe struct SquareChain(float* sums, float mean) : IPlaneChain
{
    private readonly Vector256<float> _mean = Vector256.Create(mean);
    private Vector256<float> _squares;

    public readonly bool TwoSources => false;

    public void Begin() => _squares = Vector256<float>.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Step(Vector256<float> x, Vector256<float> dy)
    {
        Vector256<float> deviation = x - _mean;
        _squares = Vector256.FusedMultiplyAdd(deviation, deviation, _squares);
    }

    public readonly void End(int at, int stride, int lanes) => PlaneLanes.Store(_squares, sums, at, stride, lanes);
}

/// <summary>Pb = sum from +0 of dy and Pg = fma chain from +0 of dy · (x - mean) · inv per plane.</summary>
internal unsafe struct GradientChain(float* gammaPartials, float* betaPartials, float mean, float inv) : IPlaneChain
{
    private readonly Vector256<float> _mean = Vector256.Create(mean), _inv = Vector256.Create(inv);
    private Vector256<float> _pb, _pg;

    public readonly bool TwoSources => true;

    public void Begin()
    {
        _pb = Vector256<float>.Zero;
        _pg = Vector256<float>.Zero;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Step(Vector256<float> x, Vector256<float> dy)
    {
        _pb += dy;
        _pg = Vector256.FusedMultiplyAdd(dy, (x - _mean) * _inv, _pg);
    }

    public readonly void End(int at, int stride, int lanes)
    {
        PlaneLanes.Store(_pb, betaPartials, at, stride, lanes);
        PlaneLanes.Store(_pg, gammaPartials, at, stride, lanes);
    }
}

internal static unsafe class PlaneLanes
{
    /// <summary>Lane l of <paramref name="v"/> to <paramref name="to"/>[at + l × stride] for l &lt; <paramref name="lanes"/>.</summary>
    public static void Store(Vector256<float> v, float* to, int at, int stride, int lanes)
    {
        for (int l = 0; l < lanes; l++)
        {
            to[at + (l * stride)] = v.GetElement(l);
        }
    }
}
