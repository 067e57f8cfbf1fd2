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
        digest: "6d9b364ced07e395d20d7f333b52fc7ab9b68d7fc3a281635536fa0ed7ee2c5d",
        stepLossDigest: "267d95d4c4ee17c9bcf57eb22f421a1ff30c6f5681eaf6c1a2d08f6d7d1bda47");

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
        digest: "39b3b40dd2efbf25925c667b6312d6dec9a78163ed3a88627eff5635c4956494",
        stepLossDigest: "2b705558725c753f9e1c786db66337723ff31474086408c3030e9bd9465488c5");

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
