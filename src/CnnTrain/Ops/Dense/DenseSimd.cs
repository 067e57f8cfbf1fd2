using CnnTrain.Devices.Cpu;
using CnnTrain.Numerics;

namespace CnnTrain.Ops;

/// <summary>
/// The dense block with SIMD, on all cores, in tiles: the forward pass as <see cref="DenseDotTile"/>s (2 outputs x 3
/// samples, each product the canonical dot32), the backward products as <see cref="RowChains"/> (the weight gradient's
/// chunk partials: 4 outputs x 16 inputs, a chain over the chunk's samples; the input gradient: 4 samples x 16 inputs,
/// a chain over the outputs), both reading the ReLU-masked gradient as they go. Tiles group so that a task's weight rows
/// and samples stay in the core's cache; each pass is one parallel region and allocates nothing.
/// </summary>
internal static unsafe class DenseSimd
{
    private const int PairsPerTask = 8;
    private const int TriplesPerTask = 4;
    private const int ColumnsPerTask = 512;
    private const int OutputsPerTask = 32;
    private const int SamplesPerTask = 16;

    /// <summary>The forward pass: one region over tiles of 16 outputs x 12 samples.</summary>
    public static void Forward(CpuDevice cpu, in DenseForward op)
    {
        DenseDescriptor d = op.Geometry;
        int batch = op.Batch;
        int pairs = Ceiling(d.Outputs, DenseDotTile.Rows), triples = Ceiling(batch, DenseDotTile.Samples);
        int pairGroups = Ceiling(pairs, PairsPerTask), tripleGroups = Ceiling(triples, TriplesPerTask);
        fixed (float* pi = CpuDevice.Span(op.Input), pw = CpuDevice.Span(op.Weights), pb = CpuDevice.Span(op.Bias), po = CpuDevice.Span(op.Output))
        {
            nint x = (nint)pi, w = (nint)pw, b = (nint)pb, y = (nint)po;
            cpu.For(pairGroups * tripleGroups, task =>
            {
                int p0 = task / tripleGroups * PairsPerTask, t0 = task % tripleGroups * TriplesPerTask;
                ForwardTiles(d, batch, (float*)x, (float*)w, (float*)b, (float*)y, p0, Math.Min(pairs, p0 + PairsPerTask), t0, Math.Min(triples, t0 + TriplesPerTask));
            });
        }
    }

    /// <summary>
    /// The backward pass in one region: the weight-gradient tiles of every chunk (those of the first inputs also sum the
    /// chunk's bias gradient) and the input-gradient tiles, all reading the masked gradient where it is needed.
    /// </summary>
    public static void Backward(CpuDevice cpu, in DenseBackward op)
    {
        DenseDescriptor d = op.Geometry;
        int batch = op.Batch, chunks = BatchTree.Chunks(batch);
        int columnGroups = Ceiling(d.Inputs, ColumnsPerTask);
        int outputGroups = Ceiling(d.Outputs, OutputsPerTask);
        int weightTasks = chunks * columnGroups * outputGroups;
        int inputTasks = op.InputGradient.IsEmpty ? 0 : Ceiling(batch, SamplesPerTask) * columnGroups;
        fixed (float* pi = CpuDevice.Span(op.Input), pw = CpuDevice.Span(op.Weights), py = CpuDevice.Span(op.Output), pdy = CpuDevice.Span(op.OutputGradient))
        fixed (float* pdw = CpuDevice.Span(op.WeightGradient), pdb = CpuDevice.Span(op.BiasGradient), pdx = CpuDevice.Span(op.InputGradient))
        {
            nint x = (nint)pi, w = (nint)pw, y = d.Activation == Activation.Relu ? (nint)py : 0, dy = (nint)pdy, dw = (nint)pdw, db = (nint)pdb, dx = (nint)pdx;
            cpu.For(weightTasks + inputTasks, task =>
            {
                if (task < weightTasks)
                {
                    int j = task / (columnGroups * outputGroups), c0 = task / outputGroups % columnGroups * ColumnsPerTask, o0 = task % outputGroups * OutputsPerTask;
                    (int n0, int n1) = BatchTree.Samples(j, batch);
                    int c1 = Math.Min(d.Inputs, c0 + ColumnsPerTask), o1 = Math.Min(d.Outputs, o0 + OutputsPerTask);
                    float* partial = (float*)dw + ((long)j * d.WeightCount);
                    for (int o = o0; o < o1; o += RowChains.Rows)
                    {
                        RowChains.Run(
                            (float*)dy + o, (float*)y == null ? null : (float*)y + o, 1, d.Outputs, Math.Min(RowChains.Rows, o1 - o), (float*)x, d.Inputs,
                            n0, n1, c0, c1, partial + ((long)o * d.Inputs), d.Inputs);
                    }

                    if (c0 == 0)
                    {
                        BiasSums(d, n0, n1, o0, o1, (float*)dy, (float*)y, (float*)db + ((long)j * d.Outputs));
                    }
                }
                else
                {
                    int t = task - weightTasks;
                    int n0 = t / columnGroups * SamplesPerTask, c0 = t % columnGroups * ColumnsPerTask;
                    int n1 = Math.Min(batch, n0 + SamplesPerTask), c1 = Math.Min(d.Inputs, c0 + ColumnsPerTask);
                    for (int n = n0; n < n1; n += RowChains.Rows)
                    {
                        long row = (long)n * d.Outputs;
                        RowChains.Run(
                            (float*)dy + row, (float*)y == null ? null : (float*)y + row, d.Outputs, 1, Math.Min(RowChains.Rows, n1 - n), (float*)w, d.Inputs,
                            0, d.Outputs, c0, c1, (float*)dx + ((long)n * d.Inputs), d.Inputs);
                    }
                }
            });
        }
    }

    private static void ForwardTiles(in DenseDescriptor d, int batch, float* x, float* w, float* b, float* y, int p0, int p1, int t0, int t1)
    {
        float* z = stackalloc float[DenseDotTile.Rows * DenseDotTile.Samples];
        int inputs = d.Inputs, outputs = d.Outputs;
        for (int p = p0; p < p1; p++)
        {
            int o = p * DenseDotTile.Rows;
            int rows = Math.Min(DenseDotTile.Rows, outputs - o);
            float* w0 = w + ((long)o * inputs), w1 = w + ((long)(o + rows - 1) * inputs);
            for (int t = t0; t < t1; t++)
            {
                int n = t * DenseDotTile.Samples;
                int samples = Math.Min(DenseDotTile.Samples, batch - n);
                float* x0 = x + ((long)n * inputs);
                DenseDotTile.Run(w0, w1, x0, x0 + (Math.Min(1, samples - 1) * (long)inputs), x0 + (Math.Min(2, samples - 1) * (long)inputs), inputs, z);
                for (int r = 0; r < rows; r++)
                {
                    for (int s = 0; s < samples; s++)
                    {
                        float v = z[(r * DenseDotTile.Samples) + s] + b[o + r];
                        y[((long)(n + s) * outputs) + o + r] = d.Activation == Activation.Relu && !(v > 0f) ? 0f : v;
                    }
                }
            }
        }
    }

    /// <summary>db[j][o] for o in [o0, o1): the sum from +0, n ascending over the chunk's samples, of the masked gradient.</summary>
    private static void BiasSums(in DenseDescriptor d, int n0, int n1, int o0, int o1, float* dy, float* y, float* sums)
    {
        new Span<float>(sums + o0, o1 - o0).Clear();
        for (long i = (long)n0 * d.Outputs; i < (long)n1 * d.Outputs; i += d.Outputs)
        {
            for (int o = o0; o < o1; o++)
            {
                sums[o] += RowChains.Masked(dy, y, i + o);
            }
        }
    }

    private static int Ceiling(int count, int size) => (count + size - 1) / size;
}
