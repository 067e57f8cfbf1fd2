using System.Runtime.InteropServices;
using System.Security.Cryptography;
using CnnTrain.Data;
using CnnTrain.Devices;
using CnnTrain.Devices.Sequential;
using CnnTrain.Layers;
using CnnTrain.Ops;
using CnnTrain.Optimizers;
using CnnTrain.Tests.Support;
using CnnTrain.Training;
using FluentAssertions;
using MathNet.Numerics.Random;
using NUnit.Framework;

namespace CnnTrain.Tests.Devices;

/// <summary>
/// Dropout and batch normalisation on every device: their bits against the reference on several shapes, the batch
/// normalisation's values against the formula in double, and a CIFAR-style training run with a committed digest.
/// </summary>
public abstract partial class DeviceContract
{
    public static IEnumerable<TestCaseData> Dropouts()
    {
        yield return new TestCaseData(1, 1, 0.5).SetArgDisplayNames("1x1 p=0.5");
        yield return new TestCaseData(3, 7, 0.0).SetArgDisplayNames("3x7 p=0");
        yield return new TestCaseData(5, 32, 0.3).SetArgDisplayNames("5x32 p=0.3");
        yield return new TestCaseData(4, 33, 0.9).SetArgDisplayNames("4x33 p=0.9");
        yield return new TestCaseData(9, 300, 0.5).SetArgDisplayNames("9x300 p=0.5");
    }

    [TestCaseSource(nameof(Dropouts))]
    public void Dropout_MatchesReference(int batch, int size, double p)
    {
        int[] masks = new int[batch * DropoutMask.WordsPerSample(size)];
        DropoutMask.Draw(masks, batch, size, p, new Xoshiro256StarStar(62, threadSafe: false));
        float[] x = TestData.Uniform(63, batch * size, 1f, 0.125f);
        float[] dy = TestData.Uniform(64, batch * size);
        float scale = DropoutMask.Scale(p);
        Outputs Run(IComputeDevice device)
        {
            using var h = new DeviceHost(device);
            var m = h.Put(masks);
            var y = h.Floats(batch * size);
            new DropoutForward(batch, size, scale, m, h.Put(x), y).Run(device);
            var dx = h.Floats(batch * size);
            new DropoutBackward(batch, size, scale, m, h.Put(dy), dx).Run(device);
            return new Outputs { ["output"] = h.Get(y), ["inputGradient"] = h.Get(dx) };
        }

        Outputs expected = Run(new SequentialDevice());
        Outputs.AssertSame(expected, Run(Device));
        for (int i = 0; i < x.Length; i++)
        {
            bool kept = DropoutMask.Kept(masks, i / size * DropoutMask.WordsPerSample(size), i % size);
            expected["output"][i].Should().Be(kept ? x[i] * scale : 0f);
        }
    }

    public static IEnumerable<TestCaseData> BatchNorms()
    {
        // (channels, positions, batch): one position is BatchNorm1D; batches below, at and past a 16-sample chunk.
        yield return new TestCaseData(3, 1, 2).SetArgDisplayNames("1D 3 features, 2 samples");
        yield return new TestCaseData(13, 1, 37).SetArgDisplayNames("1D 13 features, 37 samples");
        yield return new TestCaseData(16, 1, 100).SetArgDisplayNames("1D 16 features, 100 samples");
        yield return new TestCaseData(4, 9, 17).SetArgDisplayNames("2D 4x3x3, 17 samples");
        yield return new TestCaseData(2, 64, 33).SetArgDisplayNames("2D 2x8x8, 33 samples");
        yield return new TestCaseData(5, 1, 1 + (16 * 9)).SetArgDisplayNames("1D 5 features, 145 samples (10 chunks)");
        yield return new TestCaseData(1, 25, 1).SetArgDisplayNames("2D 1x5x5, 1 sample");
        yield return new TestCaseData(3, 1, 1).SetArgDisplayNames("1D 3 features, 1 sample (refused)");

        // The CUDA per-sample sums stage tiles of 2048 / rows positions for `rows` planes a block (BatchNormCuda.PlaneRows):
        // 256 planes of 8 positions, halved while planes are few and long. Each case names the tiling
        // it takes (BatchNormCudaTilingTests checks that it does).
        yield return new TestCaseData(300, 1, 145).SetArgDisplayNames("1D 300 features, 145 samples (256 planes a block, many blocks)");
        yield return new TestCaseData(3, 16, 145).SetArgDisplayNames("2D 3x4x4, 145 samples (128 planes of one full 16-position tile)");
        yield return new TestCaseData(6, 49, 17).SetArgDisplayNames("2D 6x7x7, 17 samples (32 planes, one partial tile of 49 of 64)");
        yield return new TestCaseData(3, 1024, 5).SetArgDisplayNames("2D 3x32x32, 5 samples (8 planes, four full 256-position tiles)");
        yield return new TestCaseData(2, 300, 4).SetArgDisplayNames("2D 2x15x20, 4 samples (8 planes, a full and a partial tile)");
        yield return new TestCaseData(64, 100, 3).SetArgDisplayNames("2D 64x10x10, 3 samples (16 planes, a partial tile of 100 of 128)");
        yield return new TestCaseData(7, 12, 1).SetArgDisplayNames("2D 7x3x4, 1 sample (fewer planes than a block)");
        yield return new TestCaseData(3, 1, 4097).SetArgDisplayNames("1D 3 features, 4097 samples (257 chunks: the CUDA trees' deep stack)");
    }


    [TestCaseSource(nameof(BatchNorms))]
    public void BatchNorm_MatchesReference(int channels, int positions, int batch)
    {
        var d = new BatchNormDescriptor(channels, positions, 1e-5, 0.1);
        float[] x = TestData.Uniform(65, batch * d.Size, 2f);
        float[] gamma = TestData.Uniform(66, channels, 1.5f);
        float[] beta = TestData.Uniform(67, channels);
        float[] dy = TestData.Uniform(68, batch * d.Size);
        float[] runningMean = TestData.Uniform(69, channels, 0.5f);
        float[] runningVariance = [.. TestData.Uniform(70, channels).Select(v => MathF.Abs(v) + 0.5f)];
        Outputs Run(IComputeDevice device)
        {
            using var h = new DeviceHost(device);
            var xs = h.Put(x);
            var g = h.Put(gamma);
            var b = h.Put(beta);
            var statistics = h.Floats(3 * channels);
            var y = h.Floats(batch * d.Size);
            new BatchNormTrainingForward(d, batch, xs, g, b, h.Floats(batch * channels), statistics, y).Run(device);
            var mean = h.Put(runningMean);
            var variance = h.Put(runningVariance);
            new BatchNormStatisticsUpdate(d, statistics, mean, variance, default).Run(device);
            var skipped = h.Put(runningMean);
            new BatchNormStatisticsUpdate(d, statistics, skipped, h.Put(runningVariance), h.Put([0])).Run(device);
            var inference = h.Floats(batch * d.Size);
            new BatchNormInferenceForward(d, batch, xs, g, b, mean, variance, inference).Run(device);
            var gp = h.Floats(batch * channels);
            var bp = h.Floats(batch * channels);
            var means = h.Floats(2 * channels);
            var dx = h.Floats(batch * d.Size);
            new BatchNormBackward(d, batch, xs, g, statistics, h.Put(dy), gp, bp, means, dx).Run(device);
            var gpOnly = h.Floats(batch * channels);
            new BatchNormBackward(d, batch, xs, g, statistics, h.Put(dy), gpOnly, h.Floats(batch * channels), h.Floats(2 * channels), default).Run(device);
            return new Outputs
            {
                ["output"] = h.Get(y), ["batch statistics"] = h.Get(statistics), ["running mean"] = h.Get(mean), ["running variance"] = h.Get(variance),
                ["guarded running mean"] = h.Get(skipped), ["inference output"] = h.Get(inference), ["gamma partials"] = h.Get(gp),
                ["beta partials"] = h.Get(bp), ["means"] = h.Get(means), ["input gradient"] = h.Get(dx), ["gamma partials without input gradient"] = h.Get(gpOnly),
            };
        }

        if (batch * positions < 2)
        {
            using var h = new DeviceHost(Device);
            var act = () => new BatchNormTrainingForward(d, batch, h.Put(x), h.Put(gamma), h.Put(beta), h.Floats(batch * channels), h.Floats(3 * channels), h.Floats(x.Length)).Run(Device);
            act.Should().Throw<ArgumentException>().WithMessage("*more than one value per channel*");
            return;
        }

        Outputs expected = Run(new SequentialDevice());
        Outputs.AssertSame(expected, Run(Device));
        Bits.AssertEqual(runningMean, expected["guarded running mean"], "a guard of 0 leaves the running mean alone");
    }

    [Test]
    public void BatchNorm_FollowsTheFormulaInDouble()
    {
        const int channels = 3, positions = 4, batch = 21;
        const double eps = 1e-5;
        var d = new BatchNormDescriptor(channels, positions, eps, 0.1);
        float[] x = TestData.Uniform(71, batch * d.Size, 3f);
        float[] gamma = [0.5f, -1.25f, 2f];
        float[] beta = [0.1f, 0f, -0.3f];
        float[] dy = TestData.Uniform(72, batch * d.Size);
        using var h = new DeviceHost(Device);
        var xs = h.Put(x);
        var g = h.Put(gamma);
        var statistics = h.Floats(3 * channels);
        var y = h.Floats(x.Length);
        new BatchNormTrainingForward(d, batch, xs, g, h.Put(beta), h.Floats(batch * channels), statistics, y).Run(Device);
        var gp = h.Floats(batch * channels);
        var bp = h.Floats(batch * channels);
        var dx = h.Floats(x.Length);
        new BatchNormBackward(d, batch, xs, g, statistics, h.Put(dy), gp, bp, h.Floats(2 * channels), dx).Run(Device);
        float[] output = h.Get(y), inputGradient = h.Get(dx), gammaPartials = h.Get(gp), betaPartials = h.Get(bp), stats = h.Get(statistics);

        int m = batch * positions;
        for (int c = 0; c < channels; c++)
        {
            int[] at = [.. Enumerable.Range(0, batch).SelectMany(n => Enumerable.Range(((n * channels) + c) * positions, positions))];
            double mean = at.Average(i => (double)x[i]);
            double variance = at.Sum(i => (x[i] - mean) * (x[i] - mean)) / m;
            double inv = 1 / Math.Sqrt(variance + eps);
            double[] xhat = [.. at.Select(i => (x[i] - mean) * inv)];
            double dyMean = at.Average(i => (double)dy[i]);
            double dyXhatMean = at.Select((i, k) => dy[i] * xhat[k]).Average();
            stats[c].Should().BeApproximately((float)mean, 1e-5f);
            stats[(2 * channels) + c].Should().BeApproximately((float)(variance * m / (m - 1)), 1e-4f);
            for (int k = 0; k < at.Length; k++)
            {
                output[at[k]].Should().BeApproximately((float)((gamma[c] * xhat[k]) + beta[c]), 1e-4f);
                double expected = gamma[c] * inv * (dy[at[k]] - dyMean - (xhat[k] * dyXhatMean));
                inputGradient[at[k]].Should().BeApproximately((float)expected, 1e-4f);
            }

            Enumerable.Range(0, batch).Sum(n => (double)betaPartials[(n * channels) + c]).Should().BeApproximately(dyMean * m, 1e-4);
            Enumerable.Range(0, batch).Sum(n => (double)gammaPartials[(n * channels) + c]).Should().BeApproximately(dyXhatMean * m, 1e-3);
        }
    }

    /// <summary>
    /// A CIFAR-style network (3x32x32 input; Conv2D + BatchNorm2D + ReLU blocks, BatchNorm1D, Dropout, Dense) trained a few
    /// steps with Adam on 70 random images in batches of 16 (the last step has 6); its parameters, running statistics,
    /// step losses and evaluation-mode predictions hashed together.
    /// </summary>
    [Test]
    public void BatchNormAndDropout_TrainingRunMatchesCommittedDigestAndSequentialBits()
    {
        (string digest, float[] values) = TrainCifarStyle(Device);
        using var reference = new SequentialDevice();
        Bits.AssertEqual(TrainCifarStyle(reference).Values, values, "parameters, running statistics, step losses and predictions");
        digest.Should().Be("0489112245afa950e9633b097a8420b58542d9953fe0f83c5bc0e7ac6c56a8e9", "the run must keep the committed bits");
    }

    private static (string Digest, float[] Values) TrainCifarStyle(IComputeDevice device)
    {
        var shape = TensorShape.Image(3, 32, 32);
        var network = new Network(
            shape,
            new Conv2D(6, 3, padding: 1), new BatchNorm2D(6), new ReLU(), new MaxPool2D(2),
            new Conv2D(8, 3, padding: 1), new BatchNorm2D(8, momentum: 0.2), new ReLU(), new MaxPool2D(2),
            new Flatten(), new Dense(24), new BatchNorm1D(24), new ReLU(), new Dropout(0.3), new Dense(10));
        network.Initialize(21, Initialization.He);

        // CIFAR-10-format files, as a user's data arrives: two training files of 40 records and a test file of 20.
        string folder = Directory.CreateTempSubdirectory("cnntrain-cifar-").FullName;
        (Dataset train, Dataset test) = (default!, default!);
        try
        {
            CifarBytes.WriteFolder(folder, trainPerFile: 40, test: 20);
            (train, test) = Dataset.LoadCifar10(folder);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }

        // Batches of 32: two chunks of the batch tree a step, and a last step of 16.
        using var trainer = new Trainer(network, device, new TrainerOptions { BatchSize = 32, LearningRate = 0.01f, Optimizer = new Adam(), Seed = 5 });
        IReadOnlyList<EpochMetrics> epochs = trainer.Fit(train, null, epochs: 2);
        EvaluationResult evaluation = trainer.Evaluate(test);
        float[] values =
        [
            .. network.Parameters.SelectMany(p => p.Values),
            .. network.Layers.OfType<BatchNormalization>().SelectMany(b => b.RunningMean.Concat(b.RunningVariance)),
            .. epochs.SelectMany(e => e.StepLosses),
            .. evaluation.Predictions.Select(p => (float)p),
        ];
        return (Convert.ToHexStringLower(SHA256.HashData(MemoryMarshal.AsBytes(values.AsSpan()))), values);
    }
}
