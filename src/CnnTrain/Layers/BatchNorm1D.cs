using CnnTrain.Persistence;

namespace CnnTrain.Layers;

/// <summary>Batch normalisation of a flat input's features, each over the batch (PyTorch's BatchNorm1d on (N, features)).</summary>
public sealed class BatchNorm1D : BatchNormalization
{
    /// <summary>Creates the layer.</summary>
    /// <param name="features">The input's features; at least 1.</param>
    /// <param name="momentum">How far a training step moves the running statistics, in [0, 1]; PyTorch's 0.1 by default.</param>
    /// <param name="epsilon">Added to the variance, positive; PyTorch's 1e-5 by default.</param>
    /// <exception cref="ArgumentOutOfRangeException">A value out of its range; the message names it.</exception>
    public BatchNorm1D(int features, double momentum = 0.1, double epsilon = 1e-5)
        : base(features, momentum, epsilon)
    {
    }

    /// <inheritdoc />
    public override string Kind => "BatchNorm1D";

    internal static Layer Read(PayloadReader reader) => Read(reader, (c, m, e) => new BatchNorm1D(c, m, e));

    private protected override TensorShape InferOutputShape(TensorShape input)
    {
        if (input.Rank != 1 || input.Size != Channels)
        {
            throw new ArgumentException($"{this} needs a flat input of {Channels} features; it got {input}.");
        }

        return input;
    }
}
