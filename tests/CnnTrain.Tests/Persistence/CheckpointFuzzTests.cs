using CnnTrain.Data;
using CnnTrain.Devices.Sequential;
using CnnTrain.Layers;
using CnnTrain.Optimizers;
using CnnTrain.Persistence;
using CnnTrain.Tests.Persistence.Fuzzing;
using CnnTrain.Tests.Support;
using CnnTrain.Training;
using FluentAssertions;
using NUnit.Framework;

namespace CnnTrain.Tests.Persistence;

/// <summary>
/// Damaged checkpoints, from three seeds (SGD with Nesterov momentum, a step schedule, early stopping on a validation
/// split with best weights, augmentation and two tested epochs; AdamW with a per-step cosine schedule and two epochs; Adam
/// before its first epoch) and fixed random seeds. One run tries 27,689 inputs (the test checks these counts):
///   8,670  code bytes (ranks, layer and schedule kinds) set to each of 0..255, resealed
///   5,334  flag bytes (shuffle, early stopping, best weights, per step, Nesterov, augmentation, flip, has test, has
///          validation) set to each of 2..255, resealed
///   4,553  fields overwritten with an extreme value (0, ±1, int.MaxValue, long.MaxValue, NaN, ±infinity, 1e300, …), resealed
///   2,048  weights and optimizer state values set to NaN, ±infinity, ±float.MaxValue, -0, a denormal, …, resealed
///     433  payloads cut at a field boundary, 430 fields deleted, 2,153 insertions before a field, resealed
///     900  single bit flips, 900 runs of 2-8 random bytes, 900 extreme int32/int64 written at random offsets, resealed
///   1,185  frame damages with a stale checksum; 183 header bytes changed with the checksum recomputed
/// Each must load — and then resume, train an epoch, and save a checkpoint that resumes (or, when the damage made the
/// epoch diverge, refuse to save it) — or throw ModelFormatException, allocating at most 1 MiB + 16 × the file + 8 × the
/// loaded parameters while loading, and without hanging.
/// </summary>
public class CheckpointFuzzTests
{
    private const int Randoms = 300;

    private static readonly TensorShape Input = TensorShape.Image(1, 6, 6);

    private static readonly (string Name, TrainerOptions Options, int Epochs, bool Test)[] Seeds =
    [
        ("sgd, step, early stopping", new TrainerOptions
        {
            BatchSize = 4, LearningRate = 0.05f, Seed = 3, Optimizer = new Sgd(0.9f, 1e-4f, nesterov: true), ProgressReportsPerEpoch = 2,
            Schedule = LearningRateSchedule.Step(1, 0.5),
            EarlyStopping = new EarlyStopping(3, 0.001, EarlyStoppingMetric.ValidationAccuracy) { RestoreBestWeights = true },
            ValidationFraction = 0.3, Augmentation = new Augmentation(1, horizontalFlip: true),
        }, 2, true),
        ("adamw, cosine per step", new TrainerOptions
        {
            BatchSize = 3, LearningRate = 0.01f, Shuffle = false, Optimizer = new AdamW(weightDecay: 0.01f),
            Schedule = LearningRateSchedule.CosineOverSteps(10, 1e-4),
        }, 2, false),
        ("adam, no epoch yet", new TrainerOptions { BatchSize = 5, Optimizer = new Adam() }, 0, false),
    ];

    [Test]
    public void EveryDamagedCheckpointResumesAndTrainsOrIsRefusedWithAModelFormatException()
    {
        using var device = new SequentialDevice();
        var run = new FuzzRun();
        bool answered = run.Run(Seeds.SelectMany((s, i) => MutantsOf(s, device, 200 + i)), m => Probe(m, device), TimeSpan.FromSeconds(60));
        TestContext.Out.WriteLine(run.Report());

        answered.Should().BeTrue($"every load returns; this one did not: {run.Current}");
        run.Escapes.Should().BeEmpty("a damaged checkpoint loads or throws ModelFormatException, within the allocation bound");
        run.Slowest.Should().BeLessThan(TimeSpan.FromSeconds(2), $"no input takes long ({run.SlowestWhat})");
        run.Tally.ToDictionary(t => t.Key, t => t.Value.Tried).Should().Equal(new Dictionary<string, int>
        {
            [Mutants.CodeByte] = 8670,
            [Mutants.FlagByte] = 5334,
            [Mutants.FieldOverwrite] = 4553,
            [Mutants.ValueOverwrite] = 2048,
            [Mutants.Truncation] = 433,
            [Mutants.Deletion] = 430,
            [Mutants.Insertion] = 2153,
            [Mutants.ByteFlip] = 900,
            [Mutants.RandomBytes] = 900,
            [Mutants.Window] = 900,
            [Mutants.Frame] = 1185,
            [Mutants.Header] = 183,
        }, "the header of this file says how many inputs of each kind it tries");
        run.Tally[Mutants.Frame].Loaded.Should().Be(0, "a stale checksum is always caught");
    }

    private static IEnumerable<Mutant> MutantsOf((string Name, TrainerOptions Options, int Epochs, bool Test) seed, SequentialDevice device, int seedValue)
    {
        var network = new Network(Input, new Conv2D(2, 3), new ReLU(), new MaxPool2D(2), new Flatten(), new Dense(3));
        network.Initialize(seedValue, Initialization.He);
        using var trainer = new Trainer(network, device, seed.Options);
        if (seed.Epochs > 0)
        {
            trainer.Fit(Data(Input, 3, 10, seedValue), seed.Test ? Data(Input, 3, 6, seedValue + 1) : null, seed.Epochs);
        }

        using var stream = new MemoryStream();
        trainer.SaveCheckpoint(stream);
        byte[] file = stream.ToArray();
        return Mutants.Of(seed.Name, file, FileKind.Checkpoint, FieldMap.OfCheckpoint(Mutants.PayloadOf(file)), seedValue, Randoms);
    }

    private static Verdict Probe(Mutant mutant, SequentialDevice device)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        TrainingState state;
        try
        {
            state = ModelFile.Load(new MemoryStream(mutant.File, writable: false), FileKind.Checkpoint, CheckpointCodec.Read);
        }
        catch (ModelFormatException e) when (e.Path == "(stream)")
        {
            return new Verdict(false, GC.GetAllocatedBytesForCurrentThread() - before, ModelFuzzTests.Bound(mutant.File.Length, 0));
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        long allowed = ModelFuzzTests.Bound(mutant.File.Length, state.Network.ParameterCount);

        // The trainer sizes its buffers by the data (a batch or report count above it costs nothing); a huge input does not fit the budget.
        if (state.Network.InputShape.Size > 4096)
        {
            return new Verdict(true, allocated, allowed, "loaded but not trained: its inputs are beyond the fuzzing budget");
        }

        using Trainer resumed = Trainer.Resume(new MemoryStream(mutant.File, writable: false), device, null);
        resumed.EpochsCompleted.Should().Be(state.EpochsCompleted);
        resumed.StepsCompleted.Should().Be(state.StepsCompleted);
        TensorShape input = resumed.Network.InputShape;
        int classes = resumed.Network.Classes;
        string loaded = resumed.Network.GetParameterDigest();
        try
        {
            // A validation set unless the options split one off: early stopping may watch either set.
            Dataset? validation = resumed.Options.ValidationFraction > 0 ? null : Data(input, classes, 3, 3);
            resumed.Fit(new TrainingSets(Data(input, classes, 7, 1), validation, Data(input, classes, 3, 2)), 1, null, default);
        }
        catch (TrainingDivergedException)
        {
            // An extreme learning rate or weight makes the epoch overflow; the trainer keeps the checkpoint's state.
            resumed.EpochsCompleted.Should().Be(state.EpochsCompleted);
            resumed.Network.GetParameterDigest().Should().Be(loaded);
            return new Verdict(true, allocated, allowed, "loaded and trained, diverged: TrainingDivergedException, the loaded state kept");
        }

        using var saved = new MemoryStream();
        if (Diverged(resumed))
        {
            // An extreme learning rate or weight makes an epoch's values overflow; such a state is refused when saved, not written.
            FluentActions.Invoking(() => resumed.SaveCheckpoint(saved)).Should().Throw<InvalidOperationException>().WithMessage("Cannot save: *");
            saved.Length.Should().Be(0);
            return new Verdict(true, allocated, allowed, "loaded and trained, diverged: saving refused with InvalidOperationException");
        }

        resumed.SaveCheckpoint(saved);
        saved.Position = 0;
        using Trainer again = Trainer.Resume(saved, device, null);
        again.EpochsCompleted.Should().Be(state.EpochsCompleted + 1);
        again.Network.GetParameterDigest().Should().Be(resumed.Network.GetParameterDigest());
        return new Verdict(true, allocated, allowed);
    }

    private static bool Diverged(Trainer trainer) =>
        trainer.Network.Parameters.Any(p => p.Values.Any(v => !float.IsFinite(v)))
        || trainer.GetOptimizerState().Any(p => p.Any(t => t.Any(v => !float.IsFinite(v))))
        || trainer.History.Any(m => !double.IsFinite(m.MeanLoss) || m.Test is { } t && !double.IsFinite(t.MeanLoss)
                                   || m.Validation is { } v && !double.IsFinite(v.MeanLoss));

    private static Dataset Data(TensorShape shape, int classes, int count, int seed) =>
        new(shape, TestData.Uniform(seed, count * shape.Size), TestData.Labels(seed, count, classes), classes);
}
