using CnnTrain.Execution;
using CnnTrain.Onnx;
using CnnTrain.Ops;
using CnnTrain.Persistence;

namespace CnnTrain.Layers;

/// <summary>
/// Average pooling over square windows of each channel, without padding: each output is its window's mean (the sum
/// in row-major order, divided by the window's element count). <see cref="Global"/> averages each whole plane to one
/// value, as a network's last pool before its classifier often does.
/// </summary>
public sealed class AvgPool2D : Layer
{
    /// <summary>Creates the layer.</summary>
    /// <param name="size">Window extent; at least 1.</param>
    /// <param name="stride">Step between windows; at least 1; null for <paramref name="size"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException">A value below 1.</exception>
    public AvgPool2D(int size = 2, int? stride = null)
    {
        Stride = PoolWindow.StrideOf(size, stride);
        Size = size;
    }

    private AvgPool2D(bool global) => IsGlobal = global;

    /// <inheritdoc />
    public override string Kind => "AvgPool2D";

    /// <summary>Window extent; 0 for a global pool, whose window is the whole plane.</summary>
    public int Size { get; }

    /// <summary>Step between windows; 0 for a global pool.</summary>
    public int Stride { get; }

    /// <summary>Whether each plane is averaged as a whole.</summary>
    public bool IsGlobal { get; }

    /// <summary>A pool that averages each channel's whole plane: its output is (channels, 1, 1).</summary>
    public static AvgPool2D Global() => new(global: true);

    /// <summary>The layer and its settings, e.g. "AvgPool2D(2x2)", "AvgPool2D(3x3, stride 2)" or "AvgPool2D(global)".</summary>
    public override string ToString() =>
        IsGlobal ? "AvgPool2D(global)" : PoolWindow.Describe(Kind, Size, Stride);

    internal static Layer Read(PayloadReader reader)
    {
        bool global = reader.Boolean("the global flag");
        int size = reader.Int32(), stride = reader.Int32();
        if (global && (size, stride) != (0, 0))
        {
            // A global pool is written with size and stride 0; anything else was not written by this library.
            throw reader.Fail($"a global AvgPool2D has size {size} and stride {stride}; both are 0 in a global pool");
        }

        return global ? Global() : new AvgPool2D(size, stride);
    }

    internal override void WriteSettings(PayloadWriter writer)
    {
        writer.Boolean(IsGlobal);
        writer.Int32(Size);
        writer.Int32(Stride);
    }

    internal override int Plan(StagePlanner planner, int index)
    {
        TensorShape x = InputShape;
        var descriptor = IsGlobal
            ? new AvgPool2DDescriptor(x.Channels, x.Height, x.Width, x.Height, x.Width, x.Height, x.Width)
            : new AvgPool2DDescriptor(x.Channels, x.Height, x.Width, Size, Size, Stride, Stride);
        planner.Add(new AvgPoolStage(planner.Context, descriptor), index, 1);
        return 1;
    }

    /// <summary>A GlobalAveragePool node for a global pool, else an AveragePool one.</summary>
    internal override string ExportOnnx(OnnxGraphWriter graph, string input) => IsGlobal
        ? graph.Node("GlobalAveragePool", Name, [input])
        : graph.Node("AveragePool", Name, [input], PoolWindow.OnnxAttributes(Size, Stride));

    private protected override TensorShape InferOutputShape(TensorShape input)
    {
        RequireImage(input);
        return IsGlobal ? TensorShape.Image(input.Channels, 1, 1) : PoolWindow.OutputShape(Kind, Size, Stride, input);
    }
}
