using System.Globalization;
using CnnTrain.Execution;
using CnnTrain.Onnx;
using CnnTrain.Ops;
using CnnTrain.Persistence;
using MathNet.Numerics.Random;

namespace CnnTrain.Layers;

/// <summary>
/// Batch normalisation, as PyTorch's BatchNorm: in training each channel is normalised with its batch's mean and biased
/// variance, then scaled by <see cref="Gamma"/> and shifted by <see cref="Beta"/>, and the running statistics move
/// towards the batch's (mean, unbiased variance) by <see cref="Momentum"/>; in evaluation the running statistics
/// normalise. The exact operations are in docs/numerics.md, "Batch normalisation".
/// </summary>
public abstract class BatchNormalization : Layer
{
    private protected BatchNormalization(int channels, double momentum, double epsilon)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(channels, 1);
        if (!(momentum >= 0 && momentum <= 1))
        {
            throw new ArgumentOutOfRangeException(
                nameof(momentum), momentum, $"The momentum must lie in [0, 1]; it is {momentum.ToString(CultureInfo.InvariantCulture)}.");
        }

        if (!(epsilon > 0 && double.IsFinite(epsilon) && (float)epsilon > 0))
        {
            throw new ArgumentOutOfRangeException(
                nameof(epsilon), epsilon, $"Epsilon must be positive, finite and at least the smallest float; it is {epsilon.ToString(CultureInfo.InvariantCulture)}.");
        }

        Channels = channels;
        Momentum = momentum;
        Epsilon = epsilon;
        RunningMean = new float[channels];
        RunningVariance = new float[channels];
        RunningVariance.AsSpan().Fill(1f);
    }

    /// <summary>The channels (BatchNorm2D) or features (BatchNorm1D) normalised.</summary>
    public int Channels { get; }

    /// <summary>How far one training step moves the running statistics towards the batch's, as PyTorch's momentum.</summary>
    public double Momentum { get; }

    /// <summary>Added to the variance before its square root.</summary>
    public double Epsilon { get; }

    /// <summary>The scale, one per channel (1 when initialised).</summary>
    public Parameter Gamma => Parameters[0];

    /// <summary>The shift, one per channel (0 when initialised).</summary>
    public Parameter Beta => Parameters[1];

    /// <summary>The running mean per channel, used in evaluation; updated by training, saved with the model. Writable, so tools can load it.</summary>
    public float[] RunningMean { get; }

    /// <summary>The running (unbiased) variance per channel, used in evaluation; updated by training, saved with the model.</summary>
    public float[] RunningVariance { get; }

    /// <summary>The kind, the channels and the settings that are not PyTorch's defaults, e.g. "BatchNorm2D(64)" or "BatchNorm1D(128, momentum 0.01)".</summary>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Kind}({Channels}{(Momentum == 0.1 ? "" : $", momentum {Momentum}")}{(Epsilon == 1e-5 ? "" : $", eps {Epsilon}")})");

    internal override IReadOnlyList<(string Name, float[] Values)> Statistics =>
        [(StatisticName("running_mean"), RunningMean), (StatisticName("running_var"), RunningVariance)];

    /// <summary>The settings, then the running mean and variance (docs/file-format.md).</summary>
    /// <exception cref="InvalidOperationException">A running statistic is NaN or infinite: loading would refuse it.</exception>
    internal override void WriteSettings(PayloadWriter writer)
    {
        SavedValues.RequireFinite(RunningMean, $"{Kind} running mean");
        SavedValues.RequireFinite(RunningVariance, $"{Kind} running variance");
        writer.Int32(Channels);
        writer.Double(Momentum);
        writer.Double(Epsilon);
        writer.Singles(RunningMean);
        writer.Singles(RunningVariance);
    }

    internal override int Plan(StagePlanner planner, int index)
    {
        var descriptor = new BatchNormDescriptor(Channels, InputShape.Size / Channels, Epsilon, Momentum);
        planner.Add(new BatchNormStage(planner.Context, descriptor, Gamma, Beta, Statistics[0], Statistics[1]), index, 1);
        return 1;
    }

    /// <summary>
    /// A BatchNormalization node in inference mode, (x - mean) / sqrt(var + epsilon) × scale + B over axis 1, given the
    /// running statistics: the running variance is the unbiased one PyTorch keeps and normalises with in evaluation, as
    /// this layer does, so ONNX computes what <c>Forward</c> does. Epsilon is the float the devices add.
    /// </summary>
    internal override string ExportOnnx(OnnxGraphWriter graph, string input)
    {
        (string meanName, float[] mean) = Statistics[0];
        (string varianceName, float[] variance) = Statistics[1];
        int[] channels = [Channels];
        return graph.Node(
            "BatchNormalization", Name,
            [input, graph.Initializer(Gamma), graph.Initializer(Beta), graph.Initializer(meanName, mean, channels), graph.Initializer(varianceName, variance, channels)],
            OnnxAttribute.Float("epsilon", (float)Epsilon));
    }

    internal override void Initialize(RandomSource random, Initialization initialization)
    {
        Gamma.Values.AsSpan().Fill(1f);
        Array.Clear(Beta.Values);
        Array.Clear(RunningMean);
        RunningVariance.AsSpan().Fill(1f);
    }

    private protected override IReadOnlyList<ParameterShape> ParameterShapes(TensorShape input, string name) =>
        [Tensor($"{name}.gamma", Channels), Tensor($"{name}.beta", Channels)];

    /// <summary>Reads what <see cref="WriteSettings"/> wrote, the statistics' counts checked against the bytes that remain first.</summary>
    private protected static T Read<T>(PayloadReader reader, Func<int, double, double, T> create)
        where T : BatchNormalization
    {
        int channels = reader.Int32();
        double momentum = reader.Double(), epsilon = reader.Double();
        if (channels < 1)
        {
            throw reader.Fail($"a batch normalisation layer has {channels} channels");
        }

        float[] mean = reader.FiniteSingles("running mean", channels);
        float[] variance = reader.FiniteSingles("running variance", channels);
        int negative = Array.FindIndex(variance, v => v < 0);
        if (negative >= 0)
        {
            throw reader.Fail($"running variance {negative} is {variance[negative]}; a variance is never negative");
        }

        T layer = create(channels, momentum, epsilon);
        mean.CopyTo(layer.RunningMean, 0);
        variance.CopyTo(layer.RunningVariance, 0);
        return layer;
    }

    private string StatisticName(string what) => IsAttached ? $"{Gamma.Name[..^".gamma".Length]}.{what}" : what;
}
