using CnnTrain.Execution;
using CnnTrain.Onnx;
using CnnTrain.Ops;
using CnnTrain.Persistence;

namespace CnnTrain.Layers;

/// <summary>Rectified linear unit, elementwise: <c>x &gt; 0 ? x : 0</c>. Runs fused into the Conv2D or Dense it follows, if any.</summary>
public sealed class ReLU : Layer
{
    /// <inheritdoc />
    public override string Kind => "ReLU";

    internal static Layer Read(PayloadReader reader) => new ReLU();

    /// <summary>A stage of its own (a ReLU after a Conv2D or Dense is planned by that layer).</summary>
    internal override int Plan(StagePlanner planner, int index)
    {
        planner.Add(new ReluStage(planner.Context, InputShape.Size), index, 1);
        return 1;
    }

    internal override string ExportOnnx(OnnxGraphWriter graph, string input) => graph.Node("Relu", Name, [input]);

    private protected override TensorShape InferOutputShape(TensorShape input) => input;
}
