using CnnTrain.Execution;
using CnnTrain.Onnx;
using CnnTrain.Ops;
using CnnTrain.Persistence;

namespace CnnTrain.Layers;

/// <summary>
/// Max pooling over square windows of each channel, without padding. Ties go to the first maximum in
/// row-major order. Runs fused into the Conv2D (and ReLU) it follows, if any.
/// </summary>
public sealed class MaxPool2D : Layer
{
    /// <summary>Creates the layer.</summary>
    /// <param name="size">Window extent; at least 1.</param>
    /// <param name="stride">Step between windows; at least 1; null for <paramref name="size"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException">A value below 1.</exception>
    public MaxPool2D(int size = 2, int? stride = null)
    {
        Stride = PoolWindow.StrideOf(size, stride);
        Size = size;
    }

    /// <inheritdoc />
    public override string Kind => "MaxPool2D";

    /// <summary>Window extent.</summary>
    public int Size { get; }

    /// <summary>Step between windows.</summary>
    public int Stride { get; }

    /// <summary>The layer and its stride where it differs from the size, e.g. "MaxPool2D(3x3, stride 2)".</summary>
    public override string ToString() => PoolWindow.Describe(Kind, Size, Stride);

    internal static Layer Read(PayloadReader reader) => new MaxPool2D(reader.Int32(), reader.Int32());

    internal override void WriteSettings(PayloadWriter writer)
    {
        writer.Int32(Size);
        writer.Int32(Stride);
    }

    /// <summary>A stage of its own (a MaxPool2D after a Conv2D is planned by the Conv2D).</summary>
    internal override int Plan(StagePlanner planner, int index)
    {
        var descriptor = new Pool2DDescriptor(InputShape.Channels, InputShape.Height, InputShape.Width, Size, Stride);
        planner.Add(new MaxPoolStage(planner.Context, descriptor), index, 1);
        return 1;
    }

    internal override string ExportOnnx(OnnxGraphWriter graph, string input) =>
        graph.Node("MaxPool", Name, [input], PoolWindow.OnnxAttributes(Size, Stride));

    private protected override TensorShape InferOutputShape(TensorShape input)
    {
        RequireImage(input);
        return PoolWindow.OutputShape(Kind, Size, Stride, input);
    }
}
