using System.Globalization;
using CnnTrain.Devices;
using CnnTrain.Persistence;

namespace CnnTrain.Optimizers;

/// <summary>
/// Stochastic gradient descent with momentum, L2 weight decay and optionally Nesterov momentum, as PyTorch's
/// <c>torch.optim.SGD</c> (no dampening): <c>g += λw; v = μv + g; w -= η(nesterov ? g + μv : v)</c>.
/// </summary>
public sealed class Sgd : Optimizer, IEquatable<Sgd>
{
    /// <summary>Creates the optimizer; every value is checked here.</summary>
    /// <param name="momentum">Momentum μ in [0, 1). Default 0.9.</param>
    /// <param name="weightDecay">L2 weight decay λ, finite and at least 0, added to every gradient (biases included). Default 0.</param>
    /// <param name="nesterov">Nesterov momentum; needs a positive momentum. Default false.</param>
    /// <exception cref="ArgumentOutOfRangeException">A value out of its range; the message names it.</exception>
    /// <exception cref="ArgumentException">Nesterov momentum with a momentum of 0.</exception>
    public Sgd(float momentum = 0.9f, float weightDecay = 0f, bool nesterov = false)
    {
        Momentum = Fraction(momentum, nameof(momentum));
        WeightDecay = NonNegative(weightDecay, nameof(weightDecay));
        if (nesterov && momentum == 0f)
        {
            throw new ArgumentException("Nesterov momentum needs a momentum above 0.", nameof(nesterov));
        }

        Nesterov = nesterov;
    }

    /// <summary>Momentum μ.</summary>
    public float Momentum { get; }

    /// <summary>L2 weight decay λ.</summary>
    public float WeightDecay { get; }

    /// <summary>Whether the step follows Nesterov's momentum.</summary>
    public bool Nesterov { get; }

    internal override string Kind => "sgd";

    internal override int StateTensors => 1;

    /// <summary>The optimizer and its settings, e.g. "SGD(momentum 0.9, weight decay 0.0001, Nesterov)".</summary>
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"SGD(momentum {Momentum}{(WeightDecay != 0f ? $", weight decay {WeightDecay}" : string.Empty)}{(Nesterov ? ", Nesterov" : string.Empty)})");

    /// <summary>Whether <paramref name="other"/> has the same settings.</summary>
    public bool Equals(Sgd? other) =>
        other is not null && Momentum.Equals(other.Momentum) && WeightDecay.Equals(other.WeightDecay) && Nesterov == other.Nesterov;

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as Sgd);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Momentum, WeightDecay, Nesterov);

    internal override void Update(IComputeDevice device, UpdateTensor[] tensors, DeviceSlice<float> stepScalars, DeviceSlice<int> guard = default) =>
        new SgdUpdate(this, tensors, stepScalars, guard).Run(device);

    internal override void WriteSettings(PayloadWriter writer)
    {
        writer.Single(Momentum);
        writer.Single(WeightDecay);
        writer.Boolean(Nesterov);
    }

    internal static Sgd Read(PayloadReader reader) => new(reader.Single(), reader.Single(), reader.Boolean("the Nesterov flag"));
}
