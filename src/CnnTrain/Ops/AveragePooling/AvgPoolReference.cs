using CnnTrain.Devices.Cpu;

namespace CnnTrain.Ops;

/// <summary>The average pool in plain loops: the canonical order of docs/numerics.md, "Average pool".</summary>
internal static class AvgPoolReference
{
    public static void Forward(CpuDevice cpu, in AvgPoolForward op)
    {
        AvgPool2DDescriptor d = op.Geometry;
        ReadOnlySpan<float> x = CpuDevice.Span(op.Input);
        Span<float> y = CpuDevice.Span(op.Output);
        int plane = d.InputHeight * d.InputWidth, poolPlane = d.OutputHeight * d.OutputWidth;
        for (int i = 0; i < op.Batch * d.Channels; i++)
        {
            ForwardPlane(d, x.Slice(i * plane, plane), y.Slice(i * poolPlane, poolPlane));
        }
    }

    public static void Backward(CpuDevice cpu, in AvgPoolBackward op)
    {
        AvgPool2DDescriptor d = op.Geometry;
        ReadOnlySpan<float> dy = CpuDevice.Span(op.OutputGradient);
        Span<float> dx = CpuDevice.Span(op.InputGradient);
        int plane = d.InputHeight * d.InputWidth, poolPlane = d.OutputHeight * d.OutputWidth;
        for (int i = 0; i < op.Batch * d.Channels; i++)
        {
            BackwardPlane(d, dy.Slice(i * poolPlane, poolPlane), dx.Slice(i * plane, plane));
        }
    }

    /// <summary>y[py, px] = (sum from +0 over the window in row-major order of x) / (window elements).</summary>
    public static void ForwardPlane(in AvgPool2DDescriptor d, ReadOnlySpan<float> plane, Span<float> output)
    {
        for (int py = 0; py < d.OutputHeight; py++)
        {
            for (int px = 0; px < d.OutputWidth; px++)
            {
                float sum = 0f;
                for (int wy = 0; wy < d.WindowHeight; wy++)
                {
                    int row = ((py * d.StrideY) + wy) * d.InputWidth;
                    for (int wx = 0; wx < d.WindowWidth; wx++)
                    {
                        sum += plane[row + (px * d.StrideX) + wx];
                    }
                }

                output[(py * d.OutputWidth) + px] = sum / d.WindowElements;
            }
        }
    }

    /// <summary>dx = sum from +0, over the windows in ascending output order, of (dy[window] / window elements) at each position it covers.</summary>
    public static void BackwardPlane(in AvgPool2DDescriptor d, ReadOnlySpan<float> outputGradient, Span<float> dx)
    {
        dx.Clear();
        for (int py = 0; py < d.OutputHeight; py++)
        {
            for (int px = 0; px < d.OutputWidth; px++)
            {
                float share = outputGradient[(py * d.OutputWidth) + px] / d.WindowElements;
                for (int wy = 0; wy < d.WindowHeight; wy++)
                {
                    int row = ((py * d.StrideY) + wy) * d.InputWidth;
                    for (int wx = 0; wx < d.WindowWidth; wx++)
                    {
                        dx[row + (px * d.StrideX) + wx] += share;
                    }
                }
            }
        }
    }
}
