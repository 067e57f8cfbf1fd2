using CnnTrain.Devices;
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

    internal DenseDescriptor Describe(Activation activation) => new(InputShape.Size, Units, activation);

    private protected override TensorShape InferOutputShape(TensorShape input)
    {
        if (input.Rank != 1)
        {
            throw new ArgumentException($"Dense needs a flat input; it got {input}. Put a Flatten layer before it.");
        }

        if ((long)input.Size * Units > int.MaxValue)
        {
            throw new ArgumentException($"Dense({Units}) over {input.Size} inputs has more than {int.MaxValue} weights.");
        }

        return TensorShape.Vector(Units);
    }

    private protected override IReadOnlyList<Parameter> CreateParameters(TensorShape input, string name) =>
    [
        new Parameter($"{name}.weights", Units, input.Size),
        new Parameter($"{name}.bias", Units),
    ];

    internal override void Initialize(RandomSource random, Initialization initialization)
    {
        FillNormal(Weights.Values, random, WeightScale(initialization, InputShape.Size));
        Array.Clear(Bias.Values);
    }
}
