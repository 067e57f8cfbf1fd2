using CnnTrain.Data;
using CnnTrain.Devices.Sequential;
using CnnTrain.Tests.Support;
using CnnTrain.Training;
using FluentAssertions;
using NUnit.Framework;

namespace CnnTrain.Tests.Data;

/// <summary><see cref="Augmentation"/>: seeded crops and flips, and their use by the trainer.</summary>
public class AugmentationTests
{
    private static readonly TensorShape Shape = TensorShape.Image(2, 4, 5);

    private static Dataset Images(int count) =>
        new(Shape, [.. Enumerable.Range(1, count * Shape.Size).Select(i => (float)i)], new int[count], 2);

    [Test]
    public void The_same_seed_and_epoch_give_the_same_images_and_another_epoch_others()
    {
        Dataset data = Images(16);
        var augmentation = new Augmentation(2, horizontalFlip: true);
        float[] Run(int seed, int epoch)
        {
            var result = new float[data.Samples.Length];
            augmentation.Apply(data, seed, epoch, result);
            return result;
        }

        Run(1, 0).Should().Equal(Run(1, 0));
        Run(1, 1).Should().NotEqual(Run(1, 0));
        Run(2, 0).Should().NotEqual(Run(1, 0));
    }

    [Test]
    public void A_flip_mirrors_whole_samples_and_happens_to_about_half()
    {
        Dataset data = Images(64);
        var output = new float[data.Samples.Length];
        new Augmentation(horizontalFlip: true).Apply(data, 3, 0, output);

        int flipped = 0;
        for (int n = 0; n < data.Count; n++)
        {
            float[] original = Sample(data.Samples.ToArray(), n), result = Sample(output, n);
            float[] mirrored = Shifted(original, 0, 0, flip: true);
            (result.SequenceEqual(original) || result.SequenceEqual(mirrored)).Should().BeTrue($"sample {n} is itself or its mirror");
            flipped += result.SequenceEqual(mirrored) ? 1 : 0;
        }

        flipped.Should().BeInRange(16, 48);
    }

    [Test]
    public void A_crop_shifts_each_sample_within_the_padding_and_fills_with_zeros()
    {
        Dataset data = Images(40);
        var output = new float[data.Samples.Length];
        new Augmentation(cropPadding: 1).Apply(data, 5, 2, output);

        var shifts = new HashSet<(int, int)>();
        for (int n = 0; n < data.Count; n++)
        {
            float[] original = Sample(data.Samples.ToArray(), n), result = Sample(output, n);
            (int, int)[] matching = [.. from dy in Enumerable.Range(-1, 3) from dx in Enumerable.Range(-1, 3)
                                        where Shifted(original, dy, dx, flip: false).SequenceEqual(result) select (dy, dx)];
            matching.Should().ContainSingle($"sample {n} is one shift of the original");
            shifts.Add(matching[0]);
        }

        shifts.Count.Should().BeGreaterThan(5, "the shifts are drawn, not fixed");
    }

    [Test]
    public void Bad_arguments_are_refused_by_name()
    {
        FluentActions.Invoking(() => new Augmentation(-1)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("cropPadding");
        FluentActions.Invoking(() => new Augmentation(Augmentation.MaxCropPadding + 1)).Should().Throw<ArgumentOutOfRangeException>();
        var flat = new Dataset(new TensorShape(6), new float[12], new int[2], 2);
        FluentActions.Invoking(() => new Augmentation(1).Apply(flat, 0, 0, new float[12])).Should().Throw<ArgumentException>().WithParameterName("data");
        FluentActions.Invoking(() => new Augmentation(1).Apply(Images(1), 0, 0, new float[3])).Should().Throw<ArgumentException>().WithParameterName("destination");
    }

    [Test]
    public void The_trainer_augments_the_training_set_only_and_evaluates_its_own_samples()
    {
        using var device = new SequentialDevice();
        Dataset train = TestData.BundledTrain.Slice(0, 100);
        var options = new TrainerOptions { BatchSize = 25, LearningRate = 0.05f, Seed = 3 };
        using var plain = new Trainer(Network.CreateStudy(4, seed: 1), device, options);
        using var augmented = new Trainer(Network.CreateStudy(4, seed: 1), device, options with { Augmentation = new Augmentation(2, true) });

        plain.Fit(train, epochs: 1);
        augmented.Fit(train, epochs: 1);

        augmented.Network.GetParameterDigest().Should().NotBe(plain.Network.GetParameterDigest(), "the epoch saw other images");
        // The device copy of the training set held augmented images; an evaluation of it must see the originals.
        augmented.Evaluate(train).MeanLoss.Should().Be(augmented.Evaluate(train.Slice(0, 100)).MeanLoss);
    }

    private static float[] Sample(float[] all, int n) => all[(n * Shape.Size)..((n + 1) * Shape.Size)];

    private static float[] Shifted(float[] image, int dy, int dx, bool flip)
    {
        int h = Shape.Height, w = Shape.Width;
        var result = new float[image.Length];
        for (int c = 0; c < Shape.Channels; c++)
        {
            for (int y = 0; y < h; y++)
            {
                for (int x = 0; x < w; x++)
                {
                    int sy = y + dy, sx = (flip ? w - 1 - x : x) + dx;
                    result[(((c * h) + y) * w) + x] = sy >= 0 && sy < h && sx >= 0 && sx < w ? image[(((c * h) + sy) * w) + sx] : 0f;
                }
            }
        }

        return result;
    }
}
