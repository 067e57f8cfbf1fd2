using CnnTrain.Devices.Cpu;

namespace CnnTrain.Ops;

/// <summary>
/// Max pooling in plain loops. A window's winner is its first maximum in row-major order (a later element
/// wins only when strictly greater); the backward pass sums, from +0 and in ascending output order, the
/// gradients of the windows a position won.
/// </summary>
internal static class MaxPoolReference
{
    public static void Forward(CpuDevice cpu, in MaxPoolForward op) =>
        Forward(op.Geometry, op.Batch, CpuDevice.Span(op.Input), CpuDevice.Span(op.Output), CpuDevice.Span(op.Indices));

    public static void Backward(CpuDevice cpu, in MaxPoolBackward op) =>
        Backward(op.Geometry, op.Batch, CpuDevice.Span(op.OutputGradient), CpuDevice.Span(op.Indices), CpuDevice.Span(op.InputGradient));

    public static void Forward(in Pool2DDescriptor d, int batch, ReadOnlySpan<float> input, Span<float> output, Span<int> indices)
    {
        int plane = d.InputHeight * d.InputWidth;
        int poolPlane = d.OutputHeight * d.OutputWidth;
        for (int i = 0; i < batch * d.Channels; i++)
        {
            ForwardPlane(d, input.Slice(i * plane, plane), output.Slice(i * poolPlane, poolPlane), indices.Slice(i * poolPlane, poolPlane));
        }
    }

    public static void ForwardPlane(in Pool2DDescriptor d, ReadOnlySpan<float> plane, Span<float> output, Span<int> indices)
    {
        for (int py = 0; py < d.OutputHeight; py++)
        {
            for (int px = 0; px < d.OutputWidth; px++)
            {
                int best = (py * d.Stride * d.InputWidth) + (px * d.Stride);
                for (int wy = 0; wy < d.Size; wy++)
                {
                    for (int wx = 0; wx < d.Size; wx++)
                    {
                        int q = (((py * d.Stride) + wy) * d.InputWidth) + (px * d.Stride) + wx;
                        if (plane[q] > plane[best])
                        {
                            best = q;
                        }
                    }
                }

                output[(py * d.OutputWidth) + px] = plane[best];
                indices[(py * d.OutputWidth) + px] = best;
            }
        }
    }

    public static void Backward(in Pool2DDescriptor d, int batch, ReadOnlySpan<float> outputGradient, ReadOnlySpan<int> indices, Span<float> inputGradient)
    {
        int plane = d.InputHeight * d.InputWidth;
        int poolPlane = d.OutputHeight * d.OutputWidth;
        for (int i = 0; i < batch * d.Channels; i++)
        {
            BackwardPlane(d, outputGradient.Slice(i * poolPlane, poolPlane), indices.Slice(i * poolPlane, poolPlane), inputGradient.Slice(i * plane, plane));
        }
    }

    /// <summary>One plane: the sum from +0, in ascending output order, of the gradients of the windows each position won.</summary>
    public static void BackwardPlane(in Pool2DDescriptor d, ReadOnlySpan<float> outputGradient, ReadOnlySpan<int> indices, Span<float> dx)
    {
        dx.Clear();
        for (int p = 0; p < indices.Length; p++)
        {
            dx[indices[p]] += outputGradient[p];
        }
    }
}
