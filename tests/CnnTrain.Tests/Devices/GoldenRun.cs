using NUnit.Framework;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using CnnTrain.Devices;
using CnnTrain.Layers;
using CnnTrain.Tests.Support;
using CnnTrain.Training;
using CnnTrain.Optimizers;

namespace CnnTrain.Tests.Devices;

/// <summary>
/// Fixed short training runs whose results are committed as SHA-256 digests. They pin the canonical
/// arithmetic of docs/numerics.md: a change that moves a digest changes the numerics and must say why.
/// </summary>
public sealed class GoldenRun
{
    public GoldenRun(string name, Func<Network> network, int samples, TrainerOptions options, int epochs, string digest, string stepLossDigest)
    {
        Name = name;
        CreateNetwork = network;
        Samples = samples;
        Options = options;
        Epochs = epochs;
        ExpectedDigest = digest;
        ExpectedStepLossDigest = stepLossDigest;
    }

    public string Name { get; }

    public Func<Network> CreateNetwork { get; }

    public int Samples { get; }

    public TrainerOptions Options { get; }

    public int Epochs { get; }

    public string ExpectedDigest { get; }

    public string ExpectedStepLossDigest { get; }

    /// <summary>The study's block with 4 filters; 250 samples in batches of 32 (the last step has 26).</summary>
    public static GoldenRun Study { get; } = new(
        "study",
        () => Network.CreateStudy(filters: 4, initialization: Initialization.He, seed: 7),
        samples: 250,
        new TrainerOptions { BatchSize = 32, LearningRate = 0.05f, Optimizer = new Sgd(0.9f, 1e-4f), Seed = 11 },
        epochs: 2,
        digest: "51d2db035f351b623aa0f8abb0142f547d01d759c8574c2f0f913050317a1057",
        stepLossDigest: "708958f0bafdc81660058be40fd6bb1bd79e7d9c5b0682c4b6ec758384987c86");

    /// <summary>Every other path: strides, padding, a pool without ReLU, standalone ReLU and pool, input gradients, a hidden dense ReLU.</summary>
    public static GoldenRun Deep { get; } = new(
        "deep",
        () =>
        {
            var network = new Network(
                TensorShape.Image(1, 28, 28),
                new Conv2D(3, 3, stride: 2, padding: 1), new ReLU(),
                new Conv2D(5, 3, padding: 1), new MaxPool2D(3, 2), new ReLU(), new MaxPool2D(2),
                new Flatten(), new Dense(16), new ReLU(), new Dense(10));
            network.Initialize(5, Initialization.He);
            return network;
        },
        samples: 150,
        new TrainerOptions { BatchSize = 20, LearningRate = 0.05f, Optimizer = new Sgd(0.5f), Seed = 3 },
        epochs: 2,
        digest: "68214b6afdb3d69005f322b03aae0e3443798af274821b9c64cae684bca500a7",
        stepLossDigest: "a50ee340f518147591b4ea8c3f08369702366203b8c6fb5c1aa4494d6c6584d0");

    public static IEnumerable<TestCaseData> Cases() =>
        [new TestCaseData(Study).SetArgDisplayNames("study"), new TestCaseData(Deep).SetArgDisplayNames("deep")];

    public Result Train(IComputeDevice device)
    {
        Network network = CreateNetwork();
        using var trainer = new Trainer(network, device, Options);
        IReadOnlyList<EpochMetrics> epochs = trainer.Fit(TestData.BundledTrain.Slice(0, Samples), null, Epochs);
        float[] parameters = [.. network.Parameters.SelectMany(p => p.Values)];
        float[] losses = [.. epochs.SelectMany(e => e.StepLosses)];
        int[] predictions = [.. trainer.Evaluate(TestData.BundledTest.Slice(0, 64)).Predictions];
        return new Result(parameters, network.GetParameterDigest(), losses, Digest(losses), predictions);
    }

    public override string ToString() => Name;

    private static string Digest(float[] values) => Convert.ToHexStringLower(SHA256.HashData(MemoryMarshal.AsBytes(values.AsSpan())));

    public sealed record Result(float[] Parameters, string Digest, float[] StepLosses, string StepLossDigest, int[] Predictions);
}
