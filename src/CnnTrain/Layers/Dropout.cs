using System.Globalization;
using CnnTrain.Execution;
using CnnTrain.Onnx;
using CnnTrain.Ops;
using CnnTrain.Persistence;

namespace CnnTrain.Layers;

/// <summary>
/// Inverted dropout: in training each element is zeroed with probability <see cref="Probability"/> and the others are
/// multiplied by 1 / (1 - p); in evaluation the layer passes its input through. The masks come from the run's seeded
/// generator on the host (docs/numerics.md, "Dropout"), so every device drops the same elements.
/// </summary>
/// <remarks>
/// The masks of an epoch cost one draw per element of the layer's input per sample on the host, and one bit per
/// element on the device, uploaded with the epoch.
/// </remarks>
public sealed class Dropout : Layer
{
    /// <summary>Creates the layer.</summary>
    /// <param name="probability">The probability p of dropping an element, in [0, 1).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="probability"/> is outside [0, 1) or NaN.</exception>
    public Dropout(double probability = 0.5)
    {
        if (!(probability >= 0 && probability < 1))
        {
            throw new ArgumentOutOfRangeException(
                nameof(probability), probability, $"A dropout probability must lie in [0, 1); it is {probability.ToString(CultureInfo.InvariantCulture)}.");
        }

        Probability = probability;
    }

    /// <inheritdoc />
    public override string Kind => "Dropout";

    /// <summary>The probability of dropping an element in training.</summary>
    public double Probability { get; }

    /// <inheritdoc />
    public override string ToString() => $"Dropout({Probability.ToString(CultureInfo.InvariantCulture)})";

    internal static Layer Read(PayloadReader reader) => new Dropout(reader.Double());

    internal override void WriteSettings(PayloadWriter writer) => writer.Double(Probability);

    internal override int Plan(StagePlanner planner, int index)
    {
        planner.Add(new DropoutStage(planner.Context, InputShape.Size, Probability), index, 1);
        return 1;
    }

    /// <summary>
    /// An Identity node, what the layer is in evaluation: an ONNX Dropout node would mean the same, but only while no
    /// runtime is asked to train, and some optimisers and converters treat it as a training op.
    /// </summary>
    internal override string ExportOnnx(OnnxGraphWriter graph, string input) => graph.Node("Identity", Name, [input]);

    private protected override TensorShape InferOutputShape(TensorShape input) => input;
}
