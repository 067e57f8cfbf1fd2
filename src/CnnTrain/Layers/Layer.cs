using CnnTrain.Execution;
using CnnTrain.Onnx;
using CnnTrain.Persistence;
using MathNet.Numerics.Distributions;
using MathNet.Numerics.Random;

namespace CnnTrain.Layers;

/// <summary>
/// One step of a <see cref="Network"/>: what it computes, its shape rule and its parameters. A layer plans how it
/// runs on a device (the stages of its op family) and writes its settings to model files; it never runs anything
/// itself. A layer instance belongs to one network.
/// </summary>
public abstract class Layer
{
    private TensorShape? _inputShape;
    private TensorShape? _outputShape;
    private string? _name;

    private protected Layer()
    {
    }

    /// <summary>The layer's kind, e.g. "Conv2D".</summary>
    public abstract string Kind { get; }

    /// <summary>The shape of one input sample, known once the layer is part of a network.</summary>
    public TensorShape InputShape => _inputShape ?? throw NotInNetwork();

    /// <summary>The shape of one output sample, known once the layer is part of a network.</summary>
    public TensorShape OutputShape => _outputShape ?? throw NotInNetwork();

    /// <summary>The trainable tensors, in the order networks initialise, save and update them.</summary>
    public IReadOnlyList<Parameter> Parameters { get; private set; } = [];

    /// <summary>The layer's name in its network, e.g. "conv2d_0": the stem of its parameters' names.</summary>
    internal string Name => _name ?? throw NotInNetwork();

    /// <summary>Whether the layer has been placed in a network.</summary>
    public bool IsAttached => _inputShape is not null;

    /// <inheritdoc />
    public override string ToString() => Kind;

    /// <summary>
    /// What the layer would be after a layer producing <paramref name="input"/>, named <paramref name="name"/>: its
    /// output shape and its parameter tensors, from its settings alone, allocating no parameter.
    /// </summary>
    /// <exception cref="ArgumentException">The layer belongs to a network already, or does not accept the input; the message names the values.</exception>
    internal LayerLayout Describe(TensorShape input, string name)
    {
        if (IsAttached)
        {
            throw AttachedAlready();
        }

        return new LayerLayout(name, input, InferOutputShape(input), ParameterShapes(input, name));
    }

    /// <summary>Places the layer where <paramref name="layout"/> (from <see cref="Describe"/>) says, creating its parameters.</summary>
    /// <exception cref="ArgumentException">The layer belongs to a network already.</exception>
    internal void Attach(LayerLayout layout)
    {
        // Describe checked this too, but one instance can stand twice in the list it was given.
        if (IsAttached)
        {
            throw AttachedAlready();
        }

        Parameters = [.. layout.Parameters.Select(p => new Parameter(p.Name, p.Dimensions))];
        _inputShape = layout.Input;
        _outputShape = layout.Output;
        _name = layout.Name;
    }

    /// <summary>Throws unless <paramref name="input"/> is an image (channels, height, width), naming the layer's kind.</summary>
    /// <exception cref="ArgumentException">The input has another rank.</exception>
    private protected void RequireImage(TensorShape input)
    {
        if (input.Rank != 3)
        {
            throw new ArgumentException($"{Kind} needs an image input (channels, height, width); it got {input}.");
        }
    }

    /// <summary>Checks that the layer accepts <paramref name="input"/> and returns its output shape.</summary>
    /// <exception cref="ArgumentException">The input does not fit; the message names the values.</exception>
    private protected abstract TensorShape InferOutputShape(TensorShape input);

    /// <summary>
    /// The parameter tensors the layer would create over <paramref name="input"/>, named after <paramref name="name"/>;
    /// none by default. Counts are formed in 64 bits, and a tensor too large to allocate is refused here.
    /// </summary>
    /// <exception cref="ArgumentException">A tensor would hold more than <see cref="Parameter.MaxCount"/> values; the message names them.</exception>
    private protected virtual IReadOnlyList<ParameterShape> ParameterShapes(TensorShape input, string name) => [];

    /// <summary>The layer's non-trainable tensors (running statistics), named, in the order they are saved and copied; none by default.</summary>
    internal virtual IReadOnlyList<(string Name, float[] Values)> Statistics => [];

    /// <summary>Draws the weights from <paramref name="random"/> and zeroes the biases.</summary>
    internal virtual void Initialize(RandomSource random, Initialization initialization)
    {
    }

    /// <summary>
    /// Adds the stages this layer runs as, for the layer at <paramref name="index"/> of the network; it may take the
    /// layers after it into its stage where the fusion is exact. Returns how many layers it planned (at least 1).
    /// </summary>
    internal abstract int Plan(StagePlanner planner, int index);

    /// <summary>
    /// Adds the ONNX nodes (and their initializers) that compute what the layer computes in evaluation mode, reading the
    /// value <paramref name="input"/> of shape (batch, <see cref="InputShape"/>); returns the name of its output value.
    /// </summary>
    /// <exception cref="InvalidOperationException">A tensor the nodes need is NaN or infinite; the message names it.</exception>
    internal abstract string ExportOnnx(OnnxGraphWriter graph, string input);

    /// <summary>Writes the settings its constructor takes, for <see cref="LayerRegistry"/> to read back (docs/file-format.md).</summary>
    internal virtual void WriteSettings(PayloadWriter writer)
    {
    }

    private protected static void FillNormal(float[] values, RandomSource random, double standardDeviation)
    {
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = (float)(Normal.Sample(random, 0.0, 1.0) * standardDeviation);
        }
    }

    private protected static double WeightScale(Initialization initialization, long fanIn) => initialization switch
    {
        Initialization.He => Math.Sqrt(2.0 / fanIn),
        Initialization.Study => 0.1,
        _ => throw new ArgumentOutOfRangeException(nameof(initialization), initialization, "Unknown initialization."),
    };

    /// <summary>Refuses a tensor of more values than an array holds, naming the layer and the counts.</summary>
    /// <exception cref="ArgumentException">Always, when <paramref name="shape"/> is too large.</exception>
    private protected ParameterShape Tensor(string name, params int[] shape)
    {
        var tensor = new ParameterShape(name, shape);
        if (tensor.Count > Parameter.MaxCount)
        {
            throw new ArgumentException(
                $"{this} would need a {string.Join("x", shape)} tensor {name}, more than the {Parameter.MaxCount} values one tensor can hold.");
        }

        return tensor;
    }

    private ArgumentException AttachedAlready() => new($"This {Kind} layer already belongs to a network; create a new instance for each network.");

    private InvalidOperationException NotInNetwork() => new($"This {Kind} layer is not part of a network yet.");
}
