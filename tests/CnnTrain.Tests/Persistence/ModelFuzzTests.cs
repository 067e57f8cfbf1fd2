using CnnTrain.Devices.Sequential;
using CnnTrain.Layers;
using CnnTrain.Persistence;
using CnnTrain.Tests.Persistence.Fuzzing;
using CnnTrain.Tests.Support;
using FluentAssertions;
using NUnit.Framework;

namespace CnnTrain.Tests.Persistence;

/// <summary>
/// Damaged model files, from two seed models (every layer kind; a global average pool) and fixed random seeds. One
/// run tries 16,979 inputs (the test checks these counts):
///   6,885  code bytes (input and parameter ranks, layer kinds) set to each of 0..255, resealed
///     508  flag bytes (the global-pool flag) set to each of 2..255, resealed
///   2,469  fields overwritten with an extreme value (0, ±1, int.MaxValue, int.MinValue, NaN and infinity bits, …), resealed
///     768  float values (first, last, two random per tensor) set to NaN, ±infinity, ±float.MaxValue, -0, a denormal, …, resealed
///     278  payloads cut at a field boundary, 276 fields deleted, 1,382 insertions before a field, resealed
///   1,000  single bit flips, 1,000 runs of 2-8 random bytes, 1,000 extreme int32/int64 written at random offsets, resealed
///   1,290  frame damages with a stale checksum (bit flips, cuts, payload lengths, header bytes)
///     123  header bytes changed with the checksum recomputed
/// Each must load — and then save back to the very same bytes and predict a sample — or throw ModelFormatException,
/// allocating at most 1 MiB + 16 × the file + 8 × the loaded parameters, and without hanging.
/// </summary>
public class ModelFuzzTests
{
    private const int Randoms = 500;

    private static readonly (string Name, Func<Network> Create)[] Seeds =
    [
        ("every layer kind", () => new Network(
            TensorShape.Image(2, 8, 8),
            new Conv2D(3, 3, padding: 1), new ReLU(), new MaxPool2D(2), new Conv2D(4, 2), new AvgPool2D(2, 1),
            new Flatten(), new Dense(5), new ReLU(), new Dense(3))),
        ("global pool", () => new Network(TensorShape.Image(1, 6, 6), new Conv2D(2, 3, stride: 2), AvgPool2D.Global(), new Flatten(), new Dense(2))),
    ];

    [Test]
    public void EveryDamagedModelLoadsAndWorksOrIsRefusedWithAModelFormatException()
    {
        using var device = new SequentialDevice();
        var run = new FuzzRun();
        bool answered = run.Run(Seeds.SelectMany((s, i) => MutantsOf(s.Name, s.Create(), seed: 100 + i)), m => Probe(m, device), TimeSpan.FromSeconds(60));
        TestContext.Out.WriteLine(run.Report());

        answered.Should().BeTrue($"every load returns; this one did not: {run.Current}");
        run.Escapes.Should().BeEmpty("a damaged model loads or throws ModelFormatException, within the allocation bound");
        run.Slowest.Should().BeLessThan(TimeSpan.FromSeconds(2), $"no input takes long ({run.SlowestWhat})");
        run.Tally.ToDictionary(t => t.Key, t => t.Value.Tried).Should().Equal(new Dictionary<string, int>
        {
            [Mutants.CodeByte] = 6885,
            [Mutants.FlagByte] = 508,
            [Mutants.FieldOverwrite] = 2469,
            [Mutants.ValueOverwrite] = 768,
            [Mutants.Truncation] = 278,
            [Mutants.Deletion] = 276,
            [Mutants.Insertion] = 1382,
            [Mutants.ByteFlip] = 1000,
            [Mutants.RandomBytes] = 1000,
            [Mutants.Window] = 1000,
            [Mutants.Frame] = 1290,
            [Mutants.Header] = 123,
        }, "the header of this file says how many inputs of each kind it tries");
        run.Tally[Mutants.Frame].Loaded.Should().Be(0, "a stale checksum is always caught");
    }

    internal static IEnumerable<Mutant> MutantsOf(string name, Network network, int seed)
    {
        network.Initialize(seed, Initialization.He);
        using var stream = new MemoryStream();
        network.Save(stream);
        byte[] file = stream.ToArray();
        return Mutants.Of(name, file, FileKind.Model, FieldMap.OfModel(Mutants.PayloadOf(file)), seed, Randoms);
    }

    internal static Verdict Probe(Mutant mutant, SequentialDevice device)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        Network network;
        try
        {
            network = Network.Load(new MemoryStream(mutant.File, writable: false));
        }
        catch (ModelFormatException e) when (e.Path == "(stream)")
        {
            return new Verdict(false, GC.GetAllocatedBytesForCurrentThread() - before, Bound(mutant.File.Length, 0));
        }

        long loadAllocated = GC.GetAllocatedBytesForCurrentThread() - before;
        long allowed = Bound(mutant.File.Length, network.ParameterCount);

        // The format has one encoding of each network, so a model that loads is one the library wrote: saving it gives the same bytes.
        using var saved = new MemoryStream();
        network.Save(saved);
        if (!saved.ToArray().AsSpan().SequenceEqual(mutant.File))
        {
            throw new InvalidDataException("loaded a file that saving the loaded network does not reproduce");
        }

        if (!Runnable(network))
        {
            return new Verdict(true, loadAllocated, allowed, "loaded but not run: its activations are too large for the fuzzing budget");
        }

        int[] predicted = network.Predict(device, TestData.Uniform(1, network.InputShape.Size));
        network.ReleaseDeviceBuffers();
        predicted.Should().ContainSingle().Which.Should().BeInRange(0, network.Classes - 1);
        return new Verdict(true, loadAllocated, allowed);
    }

    /// <summary>The allocation a load may make: 1 MiB, 16 bytes per byte of the file, and 8 per parameter value (values and gradient).</summary>
    internal static long Bound(long fileBytes, long parameters) => (1L << 20) + (16 * fileBytes) + (8 * parameters);

    // A valid model can take inputs far larger than its file (a strided convolution over a huge plane); running one is not loading it.
    private static bool Runnable(Network network) =>
        network.InputShape.Size + network.Layers.Sum(l => (long)l.OutputShape.Size) <= 1 << 20;
}
