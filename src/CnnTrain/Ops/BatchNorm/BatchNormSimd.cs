using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using CnnTrain.Devices.Cpu;
using CnnTrain.Numerics;

namespace CnnTrain.Ops;

/// <summary>
/// Batch normalisation on all cores, one parallel region per operation, with the reference's operations per lane. A
/// training pass takes a channel per work item and does all of it there — per-sample chains, trees, then the channel's
/// elementwise pass — so nothing waits for other channels. An image's channel (BatchNorm2D) runs its planes' chains eight
/// samples to a vector (<see cref="BatchNormPlaneChains"/>) and its elementwise pass eight positions to a vector;
/// BatchNorm1D's features, one position each, go eight to a work item with a lane per feature throughout, its trees over
/// the samples included.
/// </summary>
internal static unsafe class BatchNormSimd
{
    private const int Width = 8;

    public static void TrainingForward(CpuDevice cpu, in BatchNormTrainingForward op)
    {
        BatchNormDescriptor d = op.Descriptor;
        int batch = op.Batch;
        fixed (float* x = CpuDevice.Span(op.Input), gamma = CpuDevice.Span(op.Gamma), beta = CpuDevice.Span(op.Beta))
        fixed (float* sums = CpuDevice.Span(op.Sums), statistics = CpuDevice.Span(op.Statistics), y = CpuDevice.Span(op.Output))
        {
            var k = new Buffers { X = x, Gamma = gamma, Beta = beta, Sums = sums, Statistics = statistics, Output = y };
            if (d.Positions == 1)
            {
                cpu.For(Groups(d.Channels), g => ForwardFeatures(d, batch, k, g * Width));
            }
            else
            {
                cpu.For(d.Channels, c => ForwardChannel(d, batch, k, c));
            }
        }
    }

    public static void InferenceForward(CpuDevice cpu, in BatchNormInferenceForward op)
    {
        BatchNormDescriptor d = op.Descriptor;
        fixed (float* x = CpuDevice.Span(op.Input), gamma = CpuDevice.Span(op.Gamma), beta = CpuDevice.Span(op.Beta))
        fixed (float* mean = CpuDevice.Span(op.RunningMean), variance = CpuDevice.Span(op.RunningVariance), y = CpuDevice.Span(op.Output))
        {
            var k = new Buffers { X = x, Gamma = gamma, Beta = beta, Statistics = mean, Variance = variance, Output = y };
            if (d.Positions == 1)
            {
                cpu.For(op.Batch, n => InferenceSample(d, k, n));
            }
            else
            {
                cpu.For(op.Batch * d.Channels, t => InferencePlane(d, k, t));
            }
        }
    }

    public static void Backward(CpuDevice cpu, in BatchNormBackward op)
    {
        BatchNormDescriptor d = op.Descriptor;
        int batch = op.Batch;
        fixed (float* x = CpuDevice.Span(op.Input), dy = CpuDevice.Span(op.OutputGradient), statistics = CpuDevice.Span(op.Statistics))
        fixed (float* gp = CpuDevice.Span(op.GammaPartials), bp = CpuDevice.Span(op.BetaPartials), means = CpuDevice.Span(op.Means))
        fixed (float* gamma = CpuDevice.Span(op.Gamma), dx = CpuDevice.Span(op.InputGradient))
        {
            var k = new Buffers
            {
                X = x, OutputGradient = dy, Statistics = statistics, GammaPartials = gp, BetaPartials = bp, Means = means, Gamma = gamma,
                InputGradient = op.InputGradient.IsEmpty ? null : dx,
            };
            if (d.Positions == 1)
            {
                cpu.For(Groups(d.Channels), g => BackwardFeatures(d, batch, k, g * Width));
            }
            else
            {
                cpu.For(d.Channels, c => BackwardChannel(d, batch, k, c));
            }
        }
    }

    private static int Groups(int channels) => (channels + Width - 1) / Width;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ForwardChannel(in BatchNormDescriptor d, int batch, in Buffers k, int c)
    {
        int channels = d.Channels, positions = d.Positions;
        var sums = new SumChain(k.Sums);
        BatchNormPlaneChains.Walk(d, batch, c, k.X, null, ref sums);
        float mean = Tree(k.Sums, channels, c, 1, batch).GetElement(0) / d.Count(batch);
        var squares = new SquareChain(k.Sums, mean);
        BatchNormPlaneChains.Walk(d, batch, c, k.X, null, ref squares);
        float total = Tree(k.Sums, channels, c, 1, batch).GetElement(0);
        float inv = 1f / MathF.Sqrt((total / d.Count(batch)) + d.Epsilon);
        k.Statistics[c] = mean;
        k.Statistics[channels + c] = inv;
        k.Statistics[(2 * channels) + c] = total / d.CountLessOne(batch);
        for (int n = 0; n < batch; n++)
        {
            long at = (((long)n * channels) + c) * positions;
            NormalizePlane(k.X + at, k.Output + at, positions, k.Gamma[c], k.Beta[c], mean, inv);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ForwardFeatures(in BatchNormDescriptor d, int batch, in Buffers k, int c0)
    {
        int channels = d.Channels, lanes = Math.Min(Width, channels - c0);
        for (int n = 0; n < batch; n++)
        {
            int at = (n * channels) + c0;
            Store(Vector256<float>.Zero + Load(k.X + at, lanes), k.Sums + at, lanes);
        }

        Vector256<float> mean = Tree(k.Sums, channels, c0, lanes, batch) / Vector256.Create(d.Count(batch));
        for (int n = 0; n < batch; n++)
        {
            int at = (n * channels) + c0;
            Vector256<float> deviation = Load(k.X + at, lanes) - mean;
            Store(Vector256.FusedMultiplyAdd(deviation, deviation, Vector256<float>.Zero), k.Sums + at, lanes);
        }

        Vector256<float> total = Tree(k.Sums, channels, c0, lanes, batch);
        Vector256<float> inv = Vector256.Create(1f) / Vector256.Sqrt((total / Vector256.Create(d.Count(batch))) + Vector256.Create(d.Epsilon));
        Store(mean, k.Statistics + c0, lanes);
        Store(inv, k.Statistics + channels + c0, lanes);
        Store(total / Vector256.Create(d.CountLessOne(batch)), k.Statistics + (2 * channels) + c0, lanes);
        Vector256<float> gamma = Load(k.Gamma + c0, lanes), beta = Load(k.Beta + c0, lanes);
        for (int n = 0; n < batch; n++)
        {
            int at = (n * channels) + c0;
            Store(Vector256.FusedMultiplyAdd(gamma, (Load(k.X + at, lanes) - mean) * inv, beta), k.Output + at, lanes);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void InferenceSample(in BatchNormDescriptor d, in Buffers k, int n)
    {
        int channels = d.Channels;
        for (int c0 = 0; c0 < channels; c0 += Width)
        {
            int lanes = Math.Min(Width, channels - c0), at = (n * channels) + c0;
            Vector256<float> inv = Vector256.Create(1f) / Vector256.Sqrt(Load(k.Variance + c0, lanes) + Vector256.Create(d.Epsilon));
            Vector256<float> t = (Load(k.X + at, lanes) - Load(k.Statistics + c0, lanes)) * inv;
            Store(Vector256.FusedMultiplyAdd(Load(k.Gamma + c0, lanes), t, Load(k.Beta + c0, lanes)), k.Output + at, lanes);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void InferencePlane(in BatchNormDescriptor d, in Buffers k, int plane)
    {
        int c = plane % d.Channels;
        long at = (long)plane * d.Positions;
        float inv = 1f / MathF.Sqrt(k.Variance[c] + d.Epsilon);
        NormalizePlane(k.X + at, k.Output + at, d.Positions, k.Gamma[c], k.Beta[c], k.Statistics[c], inv);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void BackwardChannel(in BatchNormDescriptor d, int batch, in Buffers k, int c)
    {
        int channels = d.Channels, positions = d.Positions;
        float mean = k.Statistics[c], inv = k.Statistics[channels + c];
        var partials = new GradientChain(k.GammaPartials, k.BetaPartials, mean, inv);
        BatchNormPlaneChains.Walk(d, batch, c, k.X, k.OutputGradient, ref partials);
        float a = Tree(k.BetaPartials, channels, c, 1, batch).GetElement(0) / d.Count(batch);
        float b = Tree(k.GammaPartials, channels, c, 1, batch).GetElement(0) / d.Count(batch);
        k.Means[c] = a;
        k.Means[channels + c] = b;
        if (k.InputGradient == null)
        {
            return;
        }

        float scale = k.Gamma[c] * inv;
        Vector256<float> vm = Vector256.Create(mean), vi = Vector256.Create(inv), va = Vector256.Create(a), vb = Vector256.Create(b), vs = Vector256.Create(scale);
        for (int n = 0; n < batch; n++)
        {
            long at = (((long)n * channels) + c) * positions;
            float* x = k.X + at, dy = k.OutputGradient + at, dx = k.InputGradient + at;
            int i = 0;
            for (; i + Width <= positions; i += Width)
            {
                Vector256<float> xhat = (Vector256.Load(x + i) - vm) * vi;
                Vector256.Store(vs * Vector256.FusedMultiplyAdd(-xhat, vb, Vector256.Load(dy + i) - va), dx + i);
            }

            for (; i < positions; i++)
            {
                float xhat = (x[i] - mean) * inv;
                dx[i] = scale * MathF.FusedMultiplyAdd(-xhat, b, dy[i] - a);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void BackwardFeatures(in BatchNormDescriptor d, int batch, in Buffers k, int c0)
    {
        int channels = d.Channels, lanes = Math.Min(Width, channels - c0);
        Vector256<float> mean = Load(k.Statistics + c0, lanes), inv = Load(k.Statistics + channels + c0, lanes);
        for (int n = 0; n < batch; n++)
        {
            int at = (n * channels) + c0;
            Vector256<float> dy = Load(k.OutputGradient + at, lanes);
            Store(Vector256<float>.Zero + dy, k.BetaPartials + at, lanes);
            Store(Vector256.FusedMultiplyAdd(dy, (Load(k.X + at, lanes) - mean) * inv, Vector256<float>.Zero), k.GammaPartials + at, lanes);
        }

        Vector256<float> count = Vector256.Create(d.Count(batch));
        Vector256<float> a = Tree(k.BetaPartials, channels, c0, lanes, batch) / count;
        Vector256<float> b = Tree(k.GammaPartials, channels, c0, lanes, batch) / count;
        Store(a, k.Means + c0, lanes);
        Store(b, k.Means + channels + c0, lanes);
        if (k.InputGradient == null)
        {
            return;
        }

        Vector256<float> scale = Load(k.Gamma + c0, lanes) * inv;
        for (int n = 0; n < batch; n++)
        {
            int at = (n * channels) + c0;
            Vector256<float> xhat = (Load(k.X + at, lanes) - mean) * inv;
            Store(scale * Vector256.FusedMultiplyAdd(-xhat, b, Load(k.OutputGradient + at, lanes) - a), k.InputGradient + at, lanes);
        }
    }

    // y = fma(gamma, (x - mean) * inv, beta) over one plane, eight positions to a vector.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void NormalizePlane(float* x, float* y, int positions, float gamma, float beta, float mean, float inv)
    {
        Vector256<float> vg = Vector256.Create(gamma), vb = Vector256.Create(beta), vm = Vector256.Create(mean), vi = Vector256.Create(inv);
        int i = 0;
        for (; i + Width <= positions; i += Width)
        {
            Vector256.Store(Vector256.FusedMultiplyAdd(vg, (Vector256.Load(x + i) - vm) * vi, vb), y + i);
        }

        for (; i < positions; i++)
        {
            y[i] = MathF.FusedMultiplyAdd(gamma, (x[i] - mean) * inv, beta);
        }
    }

    /// <summary>
    /// The batch tree (BatchTreeSum's) of lanes c0 .. c0 + lanes - 1 of the per-sample values values[n × stride + c0 + l],
    /// a lane per channel: each chunk's sum from +0 pushed onto a stack of complete subtrees (chunk j joins its left
    /// neighbours once per trailing one bit of j), what is left combined from the smallest subtree up — the padded tree
    /// (docs/numerics.md, "Sums over the batch").
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static Vector256<float> Tree(float* values, int stride, int c0, int lanes, int batch)
    {
        Span<Vector256<float>> stack = stackalloc Vector256<float>[32];
        int chunks = BatchTree.Chunks(batch);
        for (int j = 0; j < chunks; j++)
        {
            (int first, int end) = BatchTree.Samples(j, batch);
            Vector256<float> s = Vector256<float>.Zero;
            for (int n = first; n < end; n++)
            {
                s += Load(values + ((long)n * stride) + c0, lanes);
            }

            int level = 0;
            for (int bits = j; (bits & 1) != 0; bits >>= 1, level++)
            {
                s = stack[level] + s;
            }

            stack[level] = s;
        }

        Vector256<float> g = Vector256<float>.Zero;
        bool any = false;
        for (int level = 0; level < 32; level++)
        {
            if (((chunks >> level) & 1) != 0)
            {
                g = any ? stack[level] + g : stack[level];
                any = true;
            }
        }

        return g;
    }

    // The first `lanes` floats at p (absent lanes +0); and their store.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Load(float* p, int lanes)
    {
        if (lanes == Width)
        {
            return Vector256.Load(p);
        }

        Vector256<float> v = Vector256<float>.Zero;
        for (int l = 0; l < lanes; l++)
        {
            v = v.WithElement(l, p[l]);
        }

        return v;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(Vector256<float> v, float* p, int lanes)
    {
        if (lanes == Width)
        {
            Vector256.Store(v, p);
            return;
        }

        for (int l = 0; l < lanes; l++)
        {
            p[l] = v.GetElement(l);
        }
    }

    /// <summary>One call's pinned buffers, captured by the region's work items (null where the operation has none).</summary>
    private readonly struct Buffers
    {
        public float* X { get; init; }

        public float* OutputGradient { get; init; }

        public float* Gamma { get; init; }

        public float* Beta { get; init; }

        public float* Sums { get; init; }

        /// <summary>The batch statistics, or in evaluation the running mean.</summary>
        public float* Statistics { get; init; }

        public float* Variance { get; init; }

        public float* Output { get; init; }

        public float* GammaPartials { get; init; }

        public float* BetaPartials { get; init; }

        public float* Means { get; init; }

        public float* InputGradient { get; init; }
    }
}
