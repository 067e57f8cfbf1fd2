using System.Buffers;
using System.Runtime.CompilerServices;
using CnnTrain.Devices.Cpu;
using CnnTrain.Numerics;

namespace CnnTrain.Ops;

/// <summary>
/// The dense block with SIMD, on all cores, in tiles: the forward pass as <see cref="DenseDotTile"/>s (2 outputs x 3
/// samples, each product the canonical dot32), the backward products as <see cref="RowChains"/> (the weight gradient's
/// chunk partials: 4 outputs x 16 inputs, a chain over the chunk's samples; the input gradient: 4 samples x 16 inputs,
/// a chain over the outputs). Tiles group so that a task's weight rows and samples stay in the core's cache; each pass is
/// one parallel region and allocates nothing.
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
    /// chunk's bias gradient) and the input-gradient tiles, each task first staging the masked gradient it reads (a chunk's
    /// samples x its outputs) in a pooled buffer, so nothing is allocated per call and the loops read plain floats.
    /// </summary>
    public static void Backward(CpuDevice cpu, in DenseBackward op)
    {
        DenseDescriptor d = op.Geometry;
        int batch = op.Batch, chunks = BatchTree.Chunks(batch);
        int columnGroups = Ceiling(d.Inputs, ColumnsPerTask);
        int outputGroups = Ceiling(d.Outputs, OutputsPerTask);
        int weightTasks = chunks * columnGroups * outputGroups;
        int inputTasks = op.InputGradient.IsEmpty ? 0 : Ceiling(batch, SamplesPerTask) * columnGroups;
        bool relu = d.Activation == Activation.Relu;
        fixed (float* pi = CpuDevice.Span(op.Input), pw = CpuDevice.Span(op.Weights), py = CpuDevice.Span(op.Output), pdy = CpuDevice.Span(op.OutputGradient))
        fixed (float* pdw = CpuDevice.Span(op.WeightGradient), pdb = CpuDevice.Span(op.BiasGradient), pdx = CpuDevice.Span(op.InputGradient))
        {
            nint x = (nint)pi, w = (nint)pw, y = (nint)py, dy = (nint)pdy, dw = (nint)pdw, db = (nint)pdb, dx = (nint)pdx;
            cpu.For(weightTasks + inputTasks, task =>
            {
                float[] rented = ArrayPool<float>.Shared.Rent(SamplesPerTask * Math.Max(OutputsPerTask, d.Outputs));
                fixed (float* stage = rented)
                {
                    if (task < weightTasks)
                    {
                        int j = task / (columnGroups * outputGroups), c0 = task / outputGroups % columnGroups * ColumnsPerTask, o0 = task % outputGroups * OutputsPerTask;
                        (int n0, int n1) = BatchTree.Samples(j, batch);
                        int c1 = Math.Min(d.Inputs, c0 + ColumnsPerTask), o1 = Math.Min(d.Outputs, o0 + OutputsPerTask), width = o1 - o0;
                        RowChains.Masked((float*)dy, (float*)y, relu, d.Outputs, n0, n1, o0, o1, stage);
                        float* partial = (float*)dw + ((long)j * d.WeightCount);
                        float* samples = (float*)x + ((long)n0 * d.Inputs);
                        for (int o = o0; o < o1; o += RowChains.Rows)
                        {
                            RowChains.Run(
                                stage + (o - o0), 1, width, Math.Min(RowChains.Rows, o1 - o), samples, d.Inputs, 0, n1 - n0, c0, c1,
                                partial + ((long)o * d.Inputs), d.Inputs);
                        }

                        if (c0 == 0)
                        {
                            BiasSums(stage, n1 - n0, width, (float*)db + ((long)j * d.Outputs) + o0);
                        }
                    }
                    else
                    {
                        int t = task - weightTasks;
                        int n0 = t / columnGroups * SamplesPerTask, c0 = t % columnGroups * ColumnsPerTask;
                        int n1 = Math.Min(batch, n0 + SamplesPerTask), c1 = Math.Min(d.Inputs, c0 + ColumnsPerTask);
                        RowChains.Masked((float*)dy, (float*)y, relu, d.Outputs, n0, n1, 0, d.Outputs, stage);
                        for (int n = n0; n < n1; n += RowChains.Rows)
                        {
                            RowChains.Run(
                                stage + ((long)(n - n0) * d.Outputs), d.Outputs, 1, Math.Min(RowChains.Rows, n1 - n), (float*)w, d.Inputs, 0, d.Outputs, c0, c1,
                                (float*)dx + ((long)n * d.Inputs), d.Inputs);
                        }
                    }
                }

                ArrayPool<float>.Shared.Return(rented);
            });
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
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

    /// <summary>A chunk's bias sums: sums[o] = the sum from +0, n ascending, of the staged dz[n, o].</summary>
    private static void BiasSums(float* stage, int samples, int width, float* sums)
    {
        new Span<float>(sums, width).Clear();
        for (int n = 0; n < samples; n++, stage += width)
        {
            for (int o = 0; o < width; o++)
            {
                sums[o] += stage[o];
            }
        }
    }

    private static int Ceiling(int count, int size) => (count + size - 1) / size;
}
