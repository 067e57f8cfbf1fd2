namespace CnnTrain.Ops;

/// <summary>The geometry of a fully connected block: <c>y = act(W x + b)</c> with W of shape (outputs, inputs).</summary>
internal readonly record struct DenseDescriptor
{
    /// <summary>Validates and records the geometry.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A count below 1 or an unknown activation.</exception>
    public DenseDescriptor(int inputs, int outputs, Activation activation = Activation.None)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(inputs, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(outputs, 1);
        if (!Enum.IsDefined(activation))
        {
            throw new ArgumentOutOfRangeException(nameof(activation), activation, "Unknown activation.");
        }

        if ((long)inputs * outputs > int.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(outputs), outputs, $"{inputs} x {outputs} weights exceed int.MaxValue.");
        }

        Inputs = inputs;
        Outputs = outputs;
        Activation = activation;
    }

    /// <summary>Input features per sample.</summary>
    public int Inputs { get; }

    /// <summary>Output features per sample.</summary>
    public int Outputs { get; }

    /// <summary>Activation applied to <c>W x + b</c>.</summary>
    public Activation Activation { get; }

    /// <summary>Elements of the weight matrix.</summary>
    public int WeightCount => Inputs * Outputs;
}
