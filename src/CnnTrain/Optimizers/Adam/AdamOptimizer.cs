using CnnTrain.Devices;
using CnnTrain.Persistence;

namespace CnnTrain.Optimizers;

/// <summary>
/// What <see cref="Adam"/> and <see cref="AdamW"/> share: bias-corrected first and second moment estimates per
/// parameter, and their hyperparameters. They differ in how weight decay enters (docs/numerics.md, "Adam and AdamW").
/// </summary>
public abstract class AdamOptimizer : Optimizer, IEquatable<AdamOptimizer>
{
    private protected AdamOptimizer(float beta1, float beta2, float epsilon, float weightDecay, bool decoupled) =>
        Rule = new AdamRule(
            Fraction(beta1, nameof(beta1)), Fraction(beta2, nameof(beta2)), NonNegative(epsilon, nameof(epsilon)),
            NonNegative(weightDecay, nameof(weightDecay)), decoupled);

    /// <summary>Decay of the first moment β1.</summary>
    public float Beta1 => Rule.Beta1;

    /// <summary>Decay of the second moment β2.</summary>
    public float Beta2 => Rule.Beta2;

    /// <summary>ε, added to the denominator.</summary>
    public float Epsilon => Rule.Epsilon;

    /// <summary>Weight decay λ: an L2 term in the gradient for Adam, decoupled for AdamW.</summary>
    public float WeightDecay => Rule.WeightDecay;

    internal AdamRule Rule { get; }

    internal override int StateTensors => 2;

    internal override int StepScalars => Rule.StepScalars;

    /// <summary>Whether <paramref name="other"/> is the same optimizer with the same settings.</summary>
    public bool Equals(AdamOptimizer? other) => other is not null && other.GetType() == GetType() && Rule == other.Rule;

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as AdamOptimizer);

    /// <inheritdoc />
    public override int GetHashCode() => Rule.GetHashCode();

    internal override void FillStepScalars(ReadOnlySpan<float> learningRates, long firstStep, Span<float> destination) =>
        Rule.FillStepScalars(learningRates, firstStep, destination);

    internal override void Update(IComputeDevice device, UpdateTensor[] tensors, DeviceSlice<float> stepScalars, DeviceSlice<int> guard = default) =>
        new AdamUpdate(Rule, tensors, stepScalars, guard).Run(device);

    internal override void WriteSettings(PayloadWriter writer)
    {
        writer.Single(Beta1);
        writer.Single(Beta2);
        writer.Single(Epsilon);
        writer.Single(WeightDecay);
    }
}
