using System.Globalization;
using CnnTrain.Persistence;

namespace CnnTrain.Optimizers;

/// <summary>
/// AdamW (Loshchilov and Hutter), as PyTorch's <c>torch.optim.AdamW</c>: Adam with decoupled weight decay — every
/// step first shrinks the weights by <c>1 − ηλ</c>, then takes Adam's step. Per parameter it keeps the two moments.
/// </summary>
public sealed class AdamW : AdamOptimizer
{
    /// <summary>Creates the optimizer; every value is checked here.</summary>
    /// <param name="beta1">Decay of the first moment, in [0, 1). Default 0.9.</param>
    /// <param name="beta2">Decay of the second moment, in [0, 1). Default 0.999.</param>
    /// <param name="epsilon">Added to the denominator's square root; finite and at least 0. Default 1e-8.</param>
    /// <param name="weightDecay">Decoupled weight decay λ; finite and at least 0. Default 0.01, as PyTorch's.</param>
    /// <exception cref="ArgumentOutOfRangeException">A value out of its range; the message names it.</exception>
    public AdamW(float beta1 = 0.9f, float beta2 = 0.999f, float epsilon = 1e-8f, float weightDecay = 0.01f)
        : base(beta1, beta2, epsilon, weightDecay, decoupled: true)
    {
    }

    internal override string Kind => "adamw";

    /// <summary>The optimizer and its settings, e.g. "AdamW(betas 0.9, 0.999, epsilon 1E-08, weight decay 0.01)".</summary>
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture, $"AdamW(betas {Beta1}, {Beta2}, epsilon {Epsilon}, weight decay {WeightDecay})");

    internal static AdamW Read(PayloadReader reader) => new(reader.Single(), reader.Single(), reader.Single(), reader.Single());
}
