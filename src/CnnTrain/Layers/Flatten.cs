using CnnTrain.Execution;
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

    private protected override TensorShape InferOutputShape(TensorShape input) => TensorShape.Vector(input.Size);
}
