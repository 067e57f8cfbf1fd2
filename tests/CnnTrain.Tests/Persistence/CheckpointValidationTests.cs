using System.Buffers.Binary;
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
/// Checkpoints with a correct checksum and one field that no trainer could have written: each is refused with a
/// ModelFormatException that names the field. The seed trained two tested epochs of 10 samples in batches of 4 (6 steps).
/// </summary>
public class CheckpointValidationTests
{
    private static readonly Lazy<byte[]> Seed = new(() =>
    {
        var network = new Network(TensorShape.Image(1, 6, 6), new Conv2D(2, 3), new ReLU(), new MaxPool2D(2), new Flatten(), new Dense(3));
        network.Initialize(5);
        var options = new TrainerOptions
        {
            BatchSize = 4, LearningRate = 0.05f, Optimizer = new Sgd(0.9f, nesterov: true), Schedule = LearningRateSchedule.Step(1, 0.5),
        };
        using var device = new SequentialDevice();
        using var trainer = new Trainer(network, device, options);
        trainer.Fit(Data(10, 1), Data(6, 2), epochs: 2);
        using var stream = new MemoryStream();
        trainer.SaveCheckpoint(stream);
        return stream.ToArray();
    });

    [TestCase("epochs completed", 3, "*holds 2 history entries; epochs completed is 3*")]
    [TestCase("epochs completed", 1, "*holds 2 history entries; epochs completed is 1*")]
    [TestCase("epoch 1", 1, "*history entry 1 is for epoch 1; the entries number the epochs 1 to 2 in order*")]
    [TestCase("epoch 0", 0, "*history entry 0 is for epoch 0*")]
    [TestCase("steps completed", 7, "*steps completed is 7; the history's 2 epochs in batches of 4 took 6*")]
    [TestCase("steps completed", 0, "*steps completed is 0;*took 6*")]
    [TestCase("samples 0", 0, "*epoch 1 trained on 0 samples*")]
    [TestCase("samples 1", -5, "*epoch 2 trained on -5 samples*")]
    [TestCase("samples 1", int.MaxValue, "*epoch 2 trained on 2147483647 samples; a training set of (1, 6, 6) holds 1 to 59652321*")]
    [TestCase("samples 1", 13, "*steps completed is 6; the history's 2 epochs in batches of 4 took 7*")]
    [TestCase("mean loss 0", double.NaN, "*the mean loss of epoch 1 is NaN; a loss is finite and at least 0*")]
    [TestCase("mean loss 0", double.PositiveInfinity, "*the mean loss of epoch 1 is Infinity*")]
    [TestCase("mean loss 1", -0.5, "*the mean loss of epoch 2 is -0.5*")]
    [TestCase("test loss 1", double.NaN, "*the test loss of epoch 2 is NaN*")]
    [TestCase("train accuracy 0", 1.5, "*the train accuracy of epoch 1 is 1.5; an accuracy lies in [0, 1]*")]
    [TestCase("train accuracy 0", -0.25, "*the train accuracy of epoch 1 is -0.25*")]
    [TestCase("test accuracy 1", double.NaN, "*the test accuracy of epoch 2 is NaN*")]
    [TestCase("train seconds 0", -1.0, "*the train time of epoch 1 is -1 seconds*")]
    [TestCase("train seconds 0", double.NaN, "*the train time of epoch 1 is NaN seconds*")]
    [TestCase("train seconds 1", 1e300, "*the train time of epoch 2 is 1E+300 seconds*")]
    [TestCase("test seconds 0", double.PositiveInfinity, "*the test time of epoch 1 is Infinity seconds*")]
    [TestCase("test seconds 1", 1e12, "*the test time of epoch 2 is 1000000000000 seconds*")]
    [TestCase("step gamma", 1e300, "*the trainer options are not valid: Gamma must lie in (0, 1]*")]
    [TestCase("step gamma", 1.5, "*the trainer options are not valid: Gamma must lie in (0, 1]*")]
    [TestCase("shuffle", 2, "*the shuffle flag is 2; a flag is 0 or 1*")]
    [TestCase("Nesterov", 255, "*the Nesterov flag is 255; a flag is 0 or 1*")]
    [TestCase("has test 0", 7, "*the test flag of epoch 1 is 7; a flag is 0 or 1*")]
    [TestCase("state 0.0 [4]", float.NaN, "*optimizer state 0 of conv2d_0.weights 4 of 18 is NaN; every value must be finite*")]
    [TestCase("state 3.0 [0]", float.NegativeInfinity, "*optimizer state 0 of dense_0.bias 0 of 3 is -Infinity*")]
    [TestCase("parameter 2 values [0]", float.PositiveInfinity, "*dense_0.weights value 0 of 24 is Infinity*")]
    public void A_field_no_trainer_could_have_written_is_refused(string field, double value, string message)
    {
        byte[] file = Patched(field, value);
        using var device = new SequentialDevice();
        FluentActions.Invoking(() => Trainer.Resume(new MemoryStream(file), device, null)).Should().Throw<ModelFormatException>()
            .Where(e => e.Path == "(stream)").WithMessage(message);
    }

    [Test]
    public void The_seed_itself_resumes()
    {
        using var device = new SequentialDevice();
        using Trainer resumed = Trainer.Resume(new MemoryStream(Seed.Value), device, null);
        resumed.EpochsCompleted.Should().Be(2);
        resumed.StepsCompleted.Should().Be(6);
        resumed.History.Select(m => m.Epoch).Should().Equal(1, 2);
    }

    [Test]
    public void A_diverged_run_is_not_saved_and_the_last_checkpoint_stays()
    {
        string path = Path.Combine(Path.GetTempPath(), $"cnntrain-{Guid.NewGuid():N}.ckpt");
        try
        {
            File.WriteAllBytes(path, Seed.Value);
            using var device = new SequentialDevice();
            using Trainer trainer = Trainer.Resume(path, device);
            trainer.Network.Parameters[0].Values[0] = float.PositiveInfinity;
            FluentActions.Invoking(() => trainer.Fit(Data(10, 3), epochs: 1)).Should().Throw<TrainingDivergedException>("an infinite weight poisons the epoch");
            FluentActions.Invoking(() => trainer.SaveCheckpoint(path)).Should().Throw<InvalidOperationException>()
                .WithMessage("Cannot save: conv2d_0.weights value 0 of * is Infinity. Loading refuses NaN and infinite values (training diverged?), so no file is written.");
            File.ReadAllBytes(path).Should().Equal(Seed.Value);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static byte[] Patched(string field, double value)
    {
        byte[] payload = Mutants.PayloadOf(Seed.Value);
        Field f = FieldMap.OfCheckpoint(payload).Single(f => f.Name == field);
        Span<byte> at = payload.AsSpan(f.Offset, f.Width);
        switch (f.Kind)
        {
            case FieldKind.Int32:
                BinaryPrimitives.WriteInt32LittleEndian(at, (int)value);
                break;
            case FieldKind.Int64:
                BinaryPrimitives.WriteInt64LittleEndian(at, (long)value);
                break;
            case FieldKind.Double:
                BinaryPrimitives.WriteDoubleLittleEndian(at, value);
                break;
            case FieldKind.Value or FieldKind.Single:
                BinaryPrimitives.WriteSingleLittleEndian(at, (float)value);
                break;
            default:
                at[0] = (byte)value;
                break;
        }

        return Mutants.Reseal(FileKind.Checkpoint, payload);
    }

    private static Dataset Data(int count, int seed) =>
        new(TensorShape.Image(1, 6, 6), TestData.Uniform(seed, count * 36), TestData.Labels(seed, count, 3), 3);
}
