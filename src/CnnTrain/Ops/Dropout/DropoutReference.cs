using CnnTrain.Devices.Cpu;

namespace CnnTrain.Ops;

/// <summary>Dropout in plain loops: docs/numerics.md, "Dropout". One multiplication per kept element.</summary>
internal static class DropoutReference
{
    public static void Forward(CpuDevice cpu, in DropoutForward op) =>
        Apply(op.Size, op.Scale, CpuDevice.Span(op.Masks), CpuDevice.Span(op.Input), CpuDevice.Span(op.Output), 0, op.Batch);

    public static void Backward(CpuDevice cpu, in DropoutBackward op) =>
        Apply(op.Size, op.Scale, CpuDevice.Span(op.Masks), CpuDevice.Span(op.OutputGradient), CpuDevice.Span(op.InputGradient), 0, op.Batch);

    /// <summary><c>y = kept ? x * scale : +0</c> for samples [<paramref name="first"/>, <paramref name="end"/>); forward and backward alike.</summary>
    public static void Apply(int size, float scale, ReadOnlySpan<int> masks, ReadOnlySpan<float> x, Span<float> y, int first, int end)
    {
        int words = DropoutMask.WordsPerSample(size);
        for (int n = first; n < end; n++)
        {
            for (int i = 0; i < size; i++)
            {
                int at = (n * size) + i;
                y[at] = DropoutMask.Kept(masks, n * words, i) ? x[at] * scale : 0f;
            }
        }
    }
}
