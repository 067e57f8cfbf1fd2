using CnnTrain.Data;
using CnnTrain.Devices;
using CnnTrain.Tests.Support;
using CnnTrain.Training;

namespace CnnTrain.Tests.Training;

/// <summary>The few-second training run that the tests of how an epoch ends share: data, options, network.</summary>
internal static class SmallRun
{
    public static readonly TrainerOptions Options = new() { BatchSize = 50, LearningRate = 0.05f, Seed = 4, ProgressReportsPerEpoch = 2 };

    public static Dataset Train => TestData.BundledTrain.Slice(0, 200);

    public static Dataset Test => TestData.BundledTest.Slice(0, 100);

    public static Network CreateNetwork() => Network.CreateStudy(4, seed: 2);

    /// <summary>The parameter digest after <paramref name="epochs"/> epochs in one <c>Fit</c> call, to compare interrupted runs with.</summary>
    public static string DigestAfter(IComputeDevice device, int epochs)
    {
        Network network = CreateNetwork();
        using var trainer = new Trainer(network, device, Options);
        trainer.Fit(Train, epochs: epochs);
        return network.GetParameterDigest();
    }
}
