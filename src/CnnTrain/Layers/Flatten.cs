namespace CnnTrain.Layers;

/// <summary>Reads an image (channels, height, width) as a flat vector in row-major order; costs nothing at run time.</summary>
public sealed class Flatten : Layer
{
    /// <inheritdoc />
    public override string Kind => "Flatten";

    private protected override TensorShape InferOutputShape(TensorShape input) => TensorShape.Vector(input.Size);
}
