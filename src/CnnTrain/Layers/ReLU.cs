namespace CnnTrain.Layers;

/// <summary>Rectified linear unit, elementwise: <c>x &gt; 0 ? x : 0</c>. Runs fused into the Conv2D or Dense it follows, if any.</summary>
public sealed class ReLU : Layer
{
    /// <inheritdoc />
    public override string Kind => "ReLU";

    private protected override TensorShape InferOutputShape(TensorShape input) => input;
}
