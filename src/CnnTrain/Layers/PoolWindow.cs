using CnnTrain.Onnx;
using Onnx;

namespace CnnTrain.Layers;

/// <summary>What the windowed pools (<see cref="MaxPool2D"/>, <see cref="AvgPool2D"/>) share: square windows, no padding.</summary>
internal static class PoolWindow
{
    /// <summary>The stride a pool uses: <paramref name="stride"/>, or <paramref name="size"/> when null.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A value below 1.</exception>
    public static int StrideOf(int size, int? stride)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        if (stride is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(stride), stride, "Stride must be at least 1.");
        }

        return stride ?? size;
    }

    /// <summary>E.g. "MaxPool2D(2x2)" or "AvgPool2D(3x3, stride 2)": the stride only where it differs from the size.</summary>
    public static string Describe(string kind, int size, int stride) =>
        $"{kind}({size}x{size}{(stride == size ? string.Empty : $", stride {stride}")})";

    /// <summary>
    /// The attributes of the ONNX pool over the same windows: no padding, and the output size rounded down
    /// (ceil_mode 0) as <see cref="OutputShape"/> rounds it.
    /// </summary>
    public static AttributeProto[] OnnxAttributes(int size, int stride) =>
    [
        OnnxAttribute.Ints("kernel_shape", size, size),
        OnnxAttribute.Ints("strides", stride, stride),
        OnnxAttribute.Ints("pads", 0, 0, 0, 0),
        OnnxAttribute.Int("ceil_mode", 0),
    ];

    /// <summary>The output of windows of <paramref name="size"/> moved by <paramref name="stride"/> over an image <paramref name="input"/>.</summary>
    /// <exception cref="ArgumentException">The window is larger than the input.</exception>
    public static TensorShape OutputShape(string kind, int size, int stride, TensorShape input)
    {
        if (size > input.Height || size > input.Width)
        {
            throw new ArgumentException($"{kind} window {size} is larger than its input {input.Height}x{input.Width}.");
        }

        return TensorShape.Image(input.Channels, ((input.Height - size) / stride) + 1, ((input.Width - size) / stride) + 1);
    }
}
