using CnnTrain.Execution;
using CnnTrain.Onnx;
using CnnTrain.Ops;
using CnnTrain.Persistence;
using MathNet.Numerics.Random;

namespace CnnTrain.Layers;

/// <summary>A fully connected layer <c>y = W x + b</c> over a flat input; W has shape (units, inputs).</summary>
public sealed class Dense : Layer
{
    /// <summary>Creates the layer.</summary>
    /// <param name="units">Output features; at least 1.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="units"/> is below 1.</exception>
    public Dense(int units)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(units, 1);
        Units = units;
    }

    /// <inheritdoc />
    public override string Kind => "Dense";

    /// <summary>Output features.</summary>
    public int Units { get; }

    /// <summary>The weights, (units, inputs).</summary>
    public Parameter Weights => Parameters[0];

    /// <summary>The biases, one per unit.</summary>
    public Parameter Bias => Parameters[1];

    /// <inheritdoc />
    public override string ToString() => $"Dense({Units})";

    internal static Layer Read(PayloadReader reader) => new Dense(reader.Int32());

    internal override void WriteSettings(PayloadWriter writer) => writer.Int32(Units);

    /// <summary>One dense stage, with the ReLU that follows fused into it.</summary>
    internal override int Plan(StagePlanner planner, int index)
    {
        bool relu = planner.LayerAt(index + 1) is ReLU;
        var descriptor = new DenseDescriptor(InputShape.Size, Units, relu ? Activation.Relu : Activation.None);
        planner.Add(new DenseStage(planner.Context, descriptor, Weights, Bias), index, relu ? 2 : 1);
        return relu ? 2 : 1;
    }

    /// <summary>A Gemm node, input × Wᵀ + b: the weights are (units, inputs), so transB.</summary>
    internal override string ExportOnnx(OnnxGraphWriter graph, string input) =>
        graph.Node("Gemm", Name, [input, graph.Initializer(Weights), graph.Initializer(Bias)], OnnxAttribute.Int("transB", 1));

    private protected override TensorShape InferOutputShape(TensorShape input)
    {
        if (input.Rank != 1)
        {
            throw new ArgumentException($"Dense needs a flat input; it got {input}. Put a Flatten layer before it.");
        }

        if ((long)input.Size * Units > Parameter.MaxCount)
        {
            throw new ArgumentException($"Dense({Units}) over {input.Size} inputs has more than the {Parameter.MaxCount} weights one tensor can hold.");
        }

        return TensorShape.Vector(Units);
    }

    private protected override IReadOnlyList<ParameterShape> ParameterShapes(TensorShape input, string name) =>
    [
        Tensor($"{name}.weights", Units, input.Size),
        Tensor($"{name}.bias", Units),
    ];

    internal override void Initialize(RandomSource random, Initialization initialization)
    {
        FillNormal(Weights.Values, random, WeightScale(initialization, InputShape.Size));
        Array.Clear(Bias.Values);
    }
}
