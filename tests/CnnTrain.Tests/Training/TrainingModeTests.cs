using CnnTrain.Data;
using CnnTrain.Devices;
using CnnTrain.Devices.Multicore;
using CnnTrain.Devices.Sequential;
using CnnTrain.Diagnostics;
using CnnTrain.Execution;
using CnnTrain.Layers;
using CnnTrain.Tests.Support;
using CnnTrain.Training;
using FluentAssertions;
using NUnit.Framework;

namespace CnnTrain.Tests.Training;

/// <summary>
/// The trainer's modes: Fit trains with dropout masks drawn per epoch and batch statistics, Evaluate and Predict
/// evaluate with the running statistics and no dropout; checkpoints carry the statistics and the masks' stream.
/// </summary>
public class TrainingModeTests
{
    private static readonly TensorShape Shape = TensorShape.Image(2, 6, 6);
    private static readonly Dataset Train = new(Shape, TestData.Uniform(80, 50 * Shape.Size), TestData.Labels(81, 50, 3), 3);
    private static readonly Dataset Test = new(Shape, TestData.Uniform(82, 12 * Shape.Size), TestData.Labels(83, 12, 3), 3);
    private static readonly TrainerOptions Options = new() { BatchSize = 8, LearningRate = 0.05f, Seed = 9 };

    private static Network Create(double dropout = 0.3)
    {
        var network = new Network(
            Shape, new Conv2D(3, 3, padding: 1), new BatchNorm2D(3), new ReLU(), new MaxPool2D(2), new Flatten(),
            new Dropout(dropout), new Dense(8), new BatchNorm1D(8), new ReLU(), new Dense(3));
        network.Initialize(10);
        return network;
    }

    [Test]
    public void Evaluate_uses_the_running_statistics_and_keeps_every_element()
    {
        using var device = new SequentialDevice();
        Network network = Create();
        using var trainer = new Trainer(network, device, Options);
        trainer.Fit(Train, Test, epochs: 2);
        EvaluationResult first = trainer.Evaluate(Test);

        first.Predictions.Should().Equal(trainer.Evaluate(Test).Predictions, "evaluation draws nothing");
        first.Predictions.Should().Equal(network.Predict(device, Test.Samples.Span), "Evaluate and Predict both evaluate");
        float[] logits = network.Forward(device, Test.Samples.Span);

        // Moving a running mean moves the evaluation's logits: evaluation reads the running statistics.
        network.Layers.OfType<BatchNorm1D>().Single().RunningMean[0] += 1f;
        network.Forward(device, Test.Samples.Span).Should().NotEqual(logits);
    }

    [Test]
    public void Fit_folds_each_steps_batch_statistics_into_the_running_ones()
    {
        // With momentum 1 the running statistics are the last step's batch mean and unbiased variance.
        var input = TensorShape.Vector(3);
        var bn = new BatchNorm1D(3, momentum: 1);
        var network = new Network(input, bn, new Dense(2));
        network.Initialize(1);
        float[] x = TestData.Uniform(84, 20 * 3, 4f);
        using var device = new SequentialDevice();
        using var trainer = new Trainer(network, device, new TrainerOptions { BatchSize = 8, Shuffle = false });
        trainer.Fit(new Dataset(input, x, TestData.Labels(85, 20, 2), 2));

        for (int c = 0; c < 3; c++)
        {
            double[] last = [.. Enumerable.Range(16, 4).Select(n => (double)x[(n * 3) + c])];
            double mean = last.Average();
            bn.RunningMean[c].Should().BeApproximately((float)mean, 1e-6f);
            bn.RunningVariance[c].Should().BeApproximately((float)(last.Sum(v => (v - mean) * (v - mean)) / 3), 1e-5f);
        }
    }

    [Test]
    public void A_dropout_of_zero_trains_exactly_as_no_dropout_and_a_real_one_does_not()
    {
        using var device = new SequentialDevice();
        string Run(Network network)
        {
            using var trainer = new Trainer(network, device, Options);
            trainer.Fit(Train, epochs: 2);
            return network.GetParameterDigest();
        }

        var without = new Network(
            Shape, new Conv2D(3, 3, padding: 1), new BatchNorm2D(3), new ReLU(), new MaxPool2D(2), new Flatten(),
            new Dense(8), new BatchNorm1D(8), new ReLU(), new Dense(3));
        without.Initialize(10);
        string plain = Run(without);
        Run(Create(dropout: 0)).Should().Be(plain, "p = 0 keeps every element and multiplies by exactly 1");
        Run(Create(dropout: 0.3)).Should().NotBe(plain, "p = 0.3 drops elements in training");
    }

    [Test]
    public void The_masks_of_an_epoch_come_from_the_seed_and_the_epoch_alone()
    {
        using var device = new SequentialDevice();
        Network network = Create(dropout: 0.3);
        using var net = new DeviceNetwork(network, device, 8, training: true);
        net.MaskWords.Should().Be(1, "the dropout layer sees 3 x 3 x 3 = 27 elements, one word");
        int[] Draw(int seed, int epoch)
        {
            var words = new int[Train.Count * net.MaskWords];
            net.DrawMasks(words, Train.Count, 8, Shuffler.MaskSource(seed, epoch));
            return words;
        }

        int[] first = Draw(9, 0);
        Draw(9, 0).Should().Equal(first, "an epoch's masks can be drawn again, as resuming does");
        Draw(9, 1).Should().NotEqual(first);
        Draw(10, 0).Should().NotEqual(first);
        first.Should().OnlyContain(w => (w & ~((1 << 27) - 1)) == 0, "the spare bits of a word stay clear");
        double kept = first.Sum(w => System.Numerics.BitOperations.PopCount((uint)w)) / (double)(Train.Count * 27);
        kept.Should().BeApproximately(0.7, 0.05);
    }

    [Test]
    public void Resuming_a_checkpoint_continues_the_running_statistics_and_the_masks_exactly()
    {
        using var device = new MulticoreDevice(2);
        Network straight = Create();
        using (var trainer = new Trainer(straight, device, Options))
        {
            trainer.Fit(Train, epochs: 3);
        }

        Network first = Create();
        using var stream = new MemoryStream();
        using (var trainer = new Trainer(first, device, Options))
        {
            trainer.Fit(Train, epochs: 1);
            trainer.SaveCheckpoint(stream);
        }

        stream.Position = 0;
        using Trainer resumed = Trainer.Resume(stream, device, null);
        resumed.Fit(Train, epochs: 2);
        resumed.Network.GetParameterDigest().Should().Be(straight.GetParameterDigest());
        BatchNormalization[] expected = [.. straight.Layers.OfType<BatchNormalization>()], actual = [.. resumed.Network.Layers.OfType<BatchNormalization>()];
        for (int i = 0; i < expected.Length; i++)
        {
            Bits.AssertEqual(expected[i].RunningMean, actual[i].RunningMean, "running mean");
            Bits.AssertEqual(expected[i].RunningVariance, actual[i].RunningVariance, "running variance");
        }
    }

    [Test]
    public void The_step_profiler_times_the_new_layers_and_the_statistics_update()
    {
        using var device = new MulticoreDevice(2);
        StepProfile profile = StepProfiler.Profile(Create(), device, batchSize: 4, secondsPerOperation: 0.001);
        profile.Operations.Select(o => o.Operation).Should().Contain(["Dropout(0.3): forward", "BatchNorm1D(8): backward", "running statistics (4 tensors)"]);
    }

    [Test]
    public void A_one_sample_step_of_batch_norm_1D_is_refused_by_name()
    {
        var input = TensorShape.Vector(3);
        var network = new Network(input, new BatchNorm1D(3), new Dense(2));
        using IComputeDevice device = new SequentialDevice();
        using var trainer = new Trainer(network, device, new TrainerOptions { BatchSize = 4 });
        var act = () => trainer.Fit(new Dataset(input, TestData.Uniform(86, 5 * 3), TestData.Labels(87, 5, 2), 2));
        act.Should().Throw<ArgumentException>().WithMessage("*more than one value per channel*1 sample(s) of 1 position(s)*");
    }
}
