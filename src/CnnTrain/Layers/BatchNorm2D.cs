using CnnTrain.Persistence;

namespace CnnTrain.Layers;

/// <summary>Batch normalisation of an image's channels, each over the batch and the plane's positions (PyTorch's BatchNorm2d).</summary>
public sealed class BatchNorm2D : BatchNormalization
{
    /// <summary>Creates the layer.</summary>
    /// <param name="channels">The input's channels; at least 1.</param>
    /// <param name="momentum">How far a training step moves the running statistics, in [0, 1]; PyTorch's 0.1 by default.</param>
    /// <param name="epsilon">Added to the variance, positive; PyTorch's 1e-5 by default.</param>
    /// <exception cref="ArgumentOutOfRangeException">A value out of its range; the message names it.</exception>
    public BatchNorm2D(int channels, double momentum = 0.1, double epsilon = 1e-5)
        : base(channels, momentum, epsilon)
    {
    }

    /// <inheritdoc />
    public override string Kind => "BatchNorm2D";

    internal static Layer Read(PayloadReader reader) => Read(reader, (c, m, e) => new BatchNorm2D(c, m, e));

    private protected override TensorShape InferOutputShape(TensorShape input)
    {
        RequireImage(input);
        if (input.Dimensions[0] != Channels)
        {
            throw new ArgumentException($"{this} needs an input of {Channels} channels; it got {input}.");
        }

        return input;
    }
}
