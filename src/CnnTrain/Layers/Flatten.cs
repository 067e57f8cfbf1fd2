using CnnTrain.Execution;
using CnnTrain.Onnx;
using CnnTrain.Persistence;

namespace CnnTrain.Layers;

/// <summary>Reads an image (channels, height, width) as a flat vector in row-major order; costs nothing at run time.</summary>
public sealed class Flatten : Layer
{
    /// <inheritdoc />
    public override string Kind => "Flatten";

    internal static Layer Read(PayloadReader reader) => new Flatten();

    /// <summary>No stage: the next stage reads the same memory as a vector.</summary>
    internal override int Plan(StagePlanner planner, int index) => 1;

    /// <summary>ONNX's Flatten at axis 1 of (batch, ...) keeps the row-major order, as this layer does.</summary>
    internal override string ExportOnnx(OnnxGraphWriter graph, string input) =>
        graph.Node("Flatten", Name, [input], OnnxAttribute.Int("axis", 1));

    private protected override TensorShape InferOutputShape(TensorShape input) => TensorShape.Vector(input.Size);
}
