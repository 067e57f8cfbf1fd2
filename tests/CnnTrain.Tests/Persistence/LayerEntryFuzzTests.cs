using CnnTrain.Devices.Sequential;
using CnnTrain.Layers;
using CnnTrain.Tests.Persistence.Fuzzing;
using FluentAssertions;
using NUnit.Framework;

namespace CnnTrain.Tests.Persistence;

/// <summary>
/// Damaged model files of a network with Dropout, BatchNorm2D and BatchNorm1D (their settings and running statistics
/// in their entries), through the same mutants and probe as <see cref="ModelFuzzTests"/>: each loads — and saves back
/// to the same bytes and predicts — or throws ModelFormatException, within the allocation bound.
/// </summary>
public class LayerEntryFuzzTests
{
    [Test]
    public void EveryDamagedModelWithTheNewLayersLoadsAndWorksOrIsRefused()
    {
        var network = new Network(
            TensorShape.Image(2, 6, 6), new Conv2D(3, 3), new BatchNorm2D(3), new ReLU(), new Flatten(), new Dropout(0.25),
            new Dense(4), new BatchNorm1D(4, 0.2, 1e-3), new Dense(3));
        using var device = new SequentialDevice();
        var run = new FuzzRun();
        bool answered = run.Run(ModelFuzzTests.MutantsOf("new layers", network, seed: 300), m => ModelFuzzTests.Probe(m, device), TimeSpan.FromSeconds(60));
        TestContext.Out.WriteLine(run.Report());

        answered.Should().BeTrue($"every load returns; this one did not: {run.Current}");
        run.Escapes.Should().BeEmpty("a damaged model loads or throws ModelFormatException, within the allocation bound");
        run.Tried.Should().BeGreaterThan(5000);
        run.Tally[Mutants.Frame].Loaded.Should().Be(0, "a stale checksum is always caught");
    }
}
