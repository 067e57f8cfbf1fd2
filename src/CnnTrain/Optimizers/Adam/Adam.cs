using System.Globalization;
using CnnTrain.Persistence;

namespace CnnTrain.Optimizers;

/// <summary>
/// Adam (Kingma and Ba), as PyTorch's <c>torch.optim.Adam</c>: moment estimates with bias correction and, optionally,
/// L2 weight decay added to the gradient. Per parameter it keeps the first and second moments.
/// </summary>
public sealed class Adam : AdamOptimizer
{
    /// <summary>Creates the optimizer; every value is checked here.</summary>
    /// <param name="beta1">Decay of the first moment, in [0, 1). Default 0.9.</param>
    /// <param name="beta2">Decay of the second moment, in [0, 1). Default 0.999.</param>
    /// <param name="epsilon">Added to the denominator's square root; finite and at least 0. Default 1e-8.</param>
    /// <param name="weightDecay">L2 weight decay λ added to every gradient; finite and at least 0. Default 0.</param>
    /// <exception cref="ArgumentOutOfRangeException">A value out of its range; the message names it.</exception>
    public Adam(float beta1 = 0.9f, float beta2 = 0.999f, float epsilon = 1e-8f, float weightDecay = 0f)
        : base(beta1, beta2, epsilon, weightDecay, decoupled: false)
    {
    }

    internal override string Kind => "adam";

    /// <summary>The optimizer and its settings, e.g. "Adam(betas 0.9, 0.999, epsilon 1E-08)".</summary>
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"Adam(betas {Beta1}, {Beta2}, epsilon {Epsilon}{(WeightDecay != 0f ? $", weight decay {WeightDecay}" : string.Empty)})");

    internal static Adam Read(PayloadReader reader) => new(reader.Single(), reader.Single(), reader.Single(), reader.Single());
}
