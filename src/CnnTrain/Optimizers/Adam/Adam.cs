using System.Globalization;
using CnnTrain.Devices;
using CnnTrain.Persistence;

namespace CnnTrain.Optimizers;

/// <summary>
/// Adam (Kingma and Ba), as PyTorch's <c>torch.optim.Adam</c>: moment estimates with bias correction and, optionally,
/// L2 weight decay added to the gradient. Per parameter it keeps the first and second moments.
/// </summary>
public sealed class Adam : Optimizer, IEquatable<Adam>
{
    /// <summary>Creates the optimizer; every value is checked here.</summary>
    /// <param name="beta1">Decay of the first moment, in [0, 1). Default 0.9.</param>
    /// <param name="beta2">Decay of the second moment, in [0, 1). Default 0.999.</param>
    /// <param name="epsilon">Added to the denominator's square root; finite and at least 0. Default 1e-8.</param>
    /// <param name="weightDecay">L2 weight decay λ added to every gradient; finite and at least 0. Default 0.</param>
    /// <exception cref="ArgumentOutOfRangeException">A value out of its range; the message names it.</exception>
    public Adam(float beta1 = 0.9f, float beta2 = 0.999f, float epsilon = 1e-8f, float weightDecay = 0f) =>
        Rule = new AdamRule(Fraction(beta1, nameof(beta1)), Fraction(beta2, nameof(beta2)), NonNegative(epsilon, nameof(epsilon)),
            NonNegative(weightDecay, nameof(weightDecay)), Decoupled: false);

    /// <summary>Decay of the first moment β1.</summary>
    public float Beta1 => Rule.Beta1;

    /// <summary>Decay of the second moment β2.</summary>
    public float Beta2 => Rule.Beta2;

    /// <summary>ε, added to the denominator.</summary>
    public float Epsilon => Rule.Epsilon;

    /// <summary>L2 weight decay λ.</summary>
    public float WeightDecay => Rule.WeightDecay;

    internal AdamRule Rule { get; }

    internal override string Kind => "adam";

    internal override int StateTensors => 2;

    internal override int StepScalars => Rule.StepScalars;

    /// <summary>The optimizer and its settings, e.g. "Adam(betas 0.9, 0.999, epsilon 1E-08)".</summary>
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"Adam(betas {Beta1}, {Beta2}, epsilon {Epsilon}{(WeightDecay != 0f ? $", weight decay {WeightDecay}" : string.Empty)})");

    /// <summary>Whether <paramref name="other"/> has the same settings.</summary>
    public bool Equals(Adam? other) => other is not null && Rule == other.Rule;

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as Adam);

    /// <inheritdoc />
    public override int GetHashCode() => Rule.GetHashCode();

    internal override void FillStepScalars(ReadOnlySpan<float> learningRates, long firstStep, Span<float> destination) =>
        Rule.FillStepScalars(learningRates, firstStep, destination);

    internal override void Update(IComputeDevice device, UpdateTensor[] tensors, DeviceSlice<float> stepScalars) =>
        new AdamUpdate(Rule, tensors, stepScalars).Run(device);

    internal override void WriteSettings(PayloadWriter writer)
    {
        writer.Single(Beta1);
        writer.Single(Beta2);
        writer.Single(Epsilon);
        writer.Single(WeightDecay);
    }

    internal static Adam Read(PayloadReader reader) => new(reader.Single(), reader.Single(), reader.Single(), reader.Single());
}
