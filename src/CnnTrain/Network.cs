using System.Runtime.InteropServices;
using System.Security.Cryptography;
using CnnTrain.Devices;
using CnnTrain.Execution;
using CnnTrain.Layers;
using CnnTrain.Ops;
using MathNet.Numerics.Random;

namespace CnnTrain;

/// <summary>
/// An ordered stack of layers from an input sample shape to class scores (logits), trained with softmax
/// cross-entropy. Shapes are inferred and checked when the network is built; parameters live on the host
/// and are copied to a device by whoever runs the network (a <see cref="Training.Trainer"/>, or the
/// methods below, which take the device as an argument or use the network's own default device, created on first
/// use and disposed with the network).
/// </summary>
public sealed partial class Network
{
    private readonly Layer[] _layers;
    private readonly Parameter[] _parameters;
    private InferenceSession? _inference;

    /// <summary>Builds a network and checks that its shapes chain.</summary>
    /// <param name="inputShape">One input sample's shape, e.g. (1, 28, 28).</param>
    /// <param name="layers">The layers, input first; each instance may belong to one network only.</param>
    /// <exception cref="ArgumentException">The layers do not chain, or the output is not a vector of at least 2 classes.</exception>
    public Network(TensorShape inputShape, params IEnumerable<Layer> layers)
    {
        ArgumentNullException.ThrowIfNull(layers);
        _layers = [.. layers];
        NetworkLayout layout = Describe(inputShape, _layers);
        for (int i = 0; i < _layers.Length; i++)
        {
            try
            {
                _layers[i].Attach(layout.Layers[i]);
            }
            catch (ArgumentException e)
            {
                throw new ArgumentException($"Layer {i} ({_layers[i]}): {e.Message}", nameof(layers), e);
            }
        }

        _parameters = [.. _layers.SelectMany(l => l.Parameters)];
        InputShape = inputShape;
        OutputShape = layout.Output;
    }

    /// <summary>One input sample's shape.</summary>
    public TensorShape InputShape { get; }

    /// <summary>One output sample's shape: a vector of <see cref="Classes"/> logits.</summary>
    public TensorShape OutputShape { get; }

    /// <summary>The number of classes the network scores.</summary>
    public int Classes => OutputShape.Size;

    /// <summary>The layers, input first.</summary>
    public IReadOnlyList<Layer> Layers => _layers;

    /// <summary>Every parameter tensor, in layer order (weights before bias).</summary>
    public IReadOnlyList<Parameter> Parameters => _parameters;

    /// <summary>The total number of trainable values.</summary>
    public long ParameterCount => _parameters.Sum(p => (long)p.Count);

    /// <summary>
    /// A text table of the layers, like Keras' <c>model.summary()</c>: each layer's index, kind with its settings,
    /// output shape and parameter count, then the total parameters and their size as float32. Lines end in '\n'.
    /// </summary>
    public string Summary() => SummaryTable.Format(this);

    /// <summary>
    /// What the constructor would build from <paramref name="inputShape"/> and <paramref name="layers"/>, checked exactly
    /// as it checks them, with every count in 64 bits and no parameter allocated: a model file's claims are weighed
    /// against its size with it before they cost memory.
    /// </summary>
    /// <exception cref="ArgumentException">The network could not be built; the message says why, as the constructor's would.</exception>
    internal static NetworkLayout Describe(TensorShape inputShape, IReadOnlyList<Layer> layers)
    {
        if (inputShape.Rank == 0)
        {
            throw new ArgumentException("The input shape is empty.", nameof(inputShape));
        }

        if (layers.Count == 0)
        {
            throw new ArgumentException("A network needs at least one layer.", nameof(layers));
        }

        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        var described = new LayerLayout[layers.Count];
        TensorShape shape = inputShape;
        for (int i = 0; i < layers.Count; i++)
        {
            Layer layer = layers[i] ?? throw new ArgumentException($"Layer {i} is null.", nameof(layers));
            string kind = layer.Kind.ToLowerInvariant();
            counts[kind] = counts.GetValueOrDefault(kind) + 1;
            try
            {
                described[i] = layer.Describe(shape, $"{kind}_{counts[kind] - 1}");
            }
            catch (ArgumentException e)
            {
                throw new ArgumentException($"Layer {i} ({layer}): {e.Message}", nameof(layers), e);
            }

            shape = described[i].Output;
        }

        if (shape.Rank != 1 || shape.Size < 2)
        {
            throw new ArgumentException(
                $"The network's output {shape} must be a vector of at least 2 class scores; end it with Flatten and Dense.", nameof(layers));
        }

        if (described.All(l => l.Parameters.Count == 0))
        {
            throw new ArgumentException("A network needs at least one layer with parameters (Conv2D or Dense).", nameof(layers));
        }

        return new NetworkLayout(described, shape);
    }

    /// <summary>
    /// The original study's network: a k×k convolution with <paramref name="filters"/> filters, ReLU, 2×2 max
    /// pool, and a dense layer to <paramref name="classes"/> classes, initialised from <paramref name="seed"/>.
    /// </summary>
    /// <param name="filters">Convolution filters (the study used 32, 64, 128, 256).</param>
    /// <param name="kernelSize">Convolution kernel extent (the study used 3).</param>
    /// <param name="initialization">The study's normal × 0.1, or He.</param>
    /// <param name="seed">Seed of the initial weights.</param>
    /// <param name="inputShape">Input sample shape; MNIST's (1, 28, 28) when null.</param>
    /// <param name="classes">Output classes.</param>
    public static Network CreateStudy(
        int filters = 32, int kernelSize = 3, Initialization initialization = Initialization.Study, int seed = 0,
        TensorShape? inputShape = null, int classes = 10)
    {
        var network = new Network(
            inputShape ?? TensorShape.Image(1, 28, 28),
            new Conv2D(filters, kernelSize), new ReLU(), new MaxPool2D(2), new Flatten(), new Dense(classes));
        network.Initialize(seed, initialization);
        return network;
    }

    /// <summary>
    /// Draws every weight from a seeded generator (MathNet's xoshiro256**, normal samples) in layer order and
    /// zeroes the biases, so the same seed gives the same network on every machine and device.
    /// </summary>
    public void Initialize(int seed, Initialization initialization = Initialization.He)
    {
        if (!Enum.IsDefined(initialization))
        {
            throw new ArgumentOutOfRangeException(nameof(initialization), initialization, "Unknown initialization.");
        }

        var random = new Xoshiro256StarStar(seed, threadSafe: false);
        foreach (Layer layer in _layers)
        {
            layer.Initialize(random, initialization);
        }
    }

    /// <summary>
    /// The logits of each sample, computed on <paramref name="device"/> (samples × classes, end to end) in evaluation
    /// mode: dropout passes everything, batch normalisation uses its running statistics. The network keeps the buffers it plans for inference on the last device it ran on, so repeated calls allocate nothing new
    /// there; <see cref="ReleaseDeviceBuffers"/> frees them.
    /// </summary>
    /// <param name="device">The device to run on.</param>
    /// <param name="samples">The samples end to end (count × input size).</param>
    /// <param name="batchSize">How many samples go to the device at once.</param>
    public float[] Forward(IComputeDevice device, ReadOnlySpan<float> samples, int batchSize = 256)
    {
        int count = SampleCount(samples.Length);
        var logits = new float[count * Classes];
        RunBatches(device, samples, batchSize, (session, batch, start) =>
            device.Download(session.Network.Logits(batch), logits.AsSpan(start * Classes, batch * Classes)));
        return logits;
    }

    /// <summary>The predicted class (first maximum of the logits) of each sample; see <see cref="Forward"/> for the buffers it keeps.</summary>
    public int[] Predict(IComputeDevice device, ReadOnlySpan<float> samples, int batchSize = 256)
    {
        int count = SampleCount(samples.Length);
        var predictions = new int[count];
        RunBatches(device, samples, batchSize, (session, batch, start) =>
        {
            DeviceSlice<int> classes = session.Predictions.Slice(0, batch);
            new SoftmaxCrossEntropy(batch, Classes, session.Network.Logits(batch), default, default, classes, default).Run(device);
            device.Download(classes, predictions.AsSpan(start, batch));
        });
        return predictions;
    }

    /// <summary>Frees the device buffers that <see cref="Forward"/> and the Predict methods keep between calls.</summary>
    public void ReleaseDeviceBuffers()
    {
        _inference?.Dispose();
        _inference = null;
    }

    /// <summary>
    /// The mean softmax cross-entropy of one batch and its gradient with respect to every parameter,
    /// written into <see cref="Parameter.Gradient"/>. Parameters are not changed.
    /// </summary>
    /// <remarks>
    /// The pass is a training pass: batch normalisation uses the batch's statistics (its running statistics are left
    /// as they are), and dropout uses masks drawn, in the order of docs/numerics.md, from a generator seeded with 0,
    /// so repeated calls see the same masks.
    /// </remarks>
    /// <returns>The mean loss over the batch.</returns>
    public float ComputeGradients(IComputeDevice device, ReadOnlySpan<float> samples, ReadOnlySpan<int> labels)
    {
        ArgumentNullException.ThrowIfNull(device);
        int count = SampleCount(samples.Length);
        if (labels.Length != count)
        {
            throw new ArgumentException($"There are {labels.Length} labels for {count} samples.", nameof(labels));
        }

        if (count == 0)
        {
            throw new ArgumentException("The batch is empty.", nameof(samples));
        }

        using var net = new DeviceNetwork(this, device, count, training: true);
        using DeviceBuffer<float> input = device.Allocate<float>(samples.Length);
        using DeviceBuffer<int> labelBuffer = device.Allocate<int>(count);
        using DeviceBuffer<float> losses = device.Allocate<float>(count);
        net.UploadParameters();
        device.Upload(samples, input);
        device.Upload(labels, labelBuffer);
        net.ForwardBackward(count, input, labelBuffer, losses, default);
        net.DownloadGradients(count);
        var loss = new float[count];
        device.Download<float>(losses, loss);
        float sum = 0f;
        foreach (float l in loss)
        {
            sum += l;
        }

        return sum / count;
    }

    /// <summary>The parameter values as bytes (little-endian float32, in <see cref="Parameters"/> order).</summary>
    public byte[] GetParameterBytes()
    {
        using var stream = new MemoryStream();
        foreach (Parameter p in _parameters)
        {
            ReadOnlySpan<byte> bytes = MemoryMarshal.AsBytes(p.Values.AsSpan());
            if (!BitConverter.IsLittleEndian)
            {
                throw new PlatformNotSupportedException("Parameter bytes are defined for little-endian machines.");
            }

            stream.Write(bytes);
        }

        return stream.ToArray();
    }

    /// <summary>SHA-256 of <see cref="GetParameterBytes"/>, lower-case hex: equal digests mean bit-identical parameters.</summary>
    public string GetParameterDigest() => Convert.ToHexStringLower(SHA256.HashData(GetParameterBytes()));

    private delegate void BatchAction(InferenceSession session, int batch, int start);

    private int SampleCount(int length)
    {
        int size = InputShape.Size;
        if (length % size != 0)
        {
            throw new ArgumentException($"{length} values are not a whole number of samples of {InputShape} ({size} values each).", "samples");
        }

        return length / size;
    }

    private void RunBatches(IComputeDevice device, ReadOnlySpan<float> samples, int batchSize, BatchAction action)
    {
        ArgumentNullException.ThrowIfNull(device);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        int count = SampleCount(samples.Length);
        if (count == 0)
        {
            return;
        }

        int maxBatch = Math.Min(batchSize, count);
        InferenceSession session = InferenceFor(device, maxBatch);
        session.Network.UploadParameters();
        for (int start = 0; start < count; start += maxBatch)
        {
            action(session, ForwardBatch(session, samples, start, maxBatch), start);
        }
    }

    // Uploads the batch of up to maxBatch samples from start and runs it forward; returns its size.
    private int ForwardBatch(InferenceSession session, ReadOnlySpan<float> samples, int start, int maxBatch)
    {
        int size = InputShape.Size;
        int batch = Math.Min(maxBatch, (samples.Length / size) - start);
        DeviceSlice<float> input = session.Input.Slice(0, batch * size);
        session.Network.Device.Upload(samples.Slice(start * size, batch * size), input);
        session.Network.Forward(batch, input);
        return batch;
    }

    // The inference plan of the last call is kept while the device is the same and the batch fits.
    private InferenceSession InferenceFor(IComputeDevice device, int maxBatch)
    {
        if (_inference is { } kept && ReferenceEquals(kept.Network.Device, device) && kept.Network.MaxBatch >= maxBatch)
        {
            return kept;
        }

        ReleaseDeviceBuffers();
        _inference = new InferenceSession(this, device, maxBatch);
        return _inference;
    }

    /// <summary>A network planned for inference on one device, with its input and prediction buffers.</summary>
    private sealed class InferenceSession : IDisposable
    {
        public InferenceSession(Network network, IComputeDevice device, int maxBatch)
        {
            Network = new DeviceNetwork(network, device, maxBatch, training: false);
            try
            {
                Input = device.Allocate<float>(checked(maxBatch * network.InputShape.Size));
                Predictions = device.Allocate<int>(maxBatch);
            }
            catch
            {
                Dispose();
                throw;
            }
        }

        public DeviceNetwork Network { get; }

        public DeviceBuffer<float> Input { get; } = null!;

        public DeviceBuffer<int> Predictions { get; } = null!;

        public void Dispose()
        {
            Network.Dispose();
            Input?.Dispose();
            Predictions?.Dispose();
        }
    }
}
