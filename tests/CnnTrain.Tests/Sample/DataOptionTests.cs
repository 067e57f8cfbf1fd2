using CnnTrain.Mnist;
using CnnTrain.Tests.Support;
using FluentAssertions;
using NUnit.Framework;
using StbImageWriteSharp;
using static CnnTrain.Tests.Sample.SampleRunner;

namespace CnnTrain.Tests.Sample;

/// <summary>The sample's <c>--data-format</c>, <c>--validation</c> and <c>--augment</c>.</summary>
public class DataOptionTests : TempFolderTests
{
    private static readonly string[] Tiny = ["--epochs", "2", "--filters", "4", "--batch-size", "20", "--seed", "5", "--quiet", "--device", "sequential"];

    [Test]
    public void Cifar10_data_trains_with_a_validation_column_and_augmentation_the_same_on_both_CPU_devices()
    {
        CifarBytes.WriteFolder(Folder, trainPerFile: 50, test: 20);
        string[] args = [.. Tiny, "--data-format", "cifar10", "--data", Folder, "--validation", "0.2", "--augment"];

        (int code, string output, string errors) = Run(args);
        (int again, string multicore, _) = Run([.. args.Where(a => a != "sequential" && a != "--device"), "--device", "multicore"]);

        code.Should().Be(ExitCodes.Success, errors);
        again.Should().Be(ExitCodes.Success);
        output.Should().Contain("| 100 train / 20 test samples");
        output.Should().MatchRegex(@"epoch 2/2  loss \d+\.\d{4}  train \d+\.\d{2}%  val loss \d+\.\d{4}  val \d+\.\d{2}%  test \d+\.\d{2}%");
        Digest(multicore).Should().Be(Digest(output));
    }

    [Test]
    public void An_image_folder_trains_with_a_validation_split_and_patience()
    {
        foreach (string part in new[] { "train", "test" })
        {
            for (int label = 0; label < 2; label++)
            {
                string folder = Path.Combine(Folder, part, $"class{label}");
                Directory.CreateDirectory(folder);
                for (int i = 0; i < 10; i++)
                {
                    byte[] rgb = [.. Enumerable.Range(0, 8 * 8 * 3).Select(p => (byte)((label * 200) + ((p * 7 + i) % 50)))];
                    using FileStream file = File.Create(Path.Combine(folder, $"{i}.png"));
                    new ImageWriter().WritePng(rgb, 8, 8, ColorComponents.RedGreenBlue, file);
                }
            }
        }

        (int code, string output, string errors) = Run([.. Tiny, "--data-format", "folder", "--data", Folder, "--validation", "0.25", "--patience", "1"]);

        code.Should().Be(ExitCodes.Success, errors);
        output.Should().StartWith("sequential | Conv2D(4, 3x3) -> ReLU -> MaxPool2D(2x2) -> Flatten -> Dense(2)");
        output.Should().Contain("20 train / 20 test samples").And.Contain("val loss");
    }

    [TestCase("--validation", "1", "--validation must lie between 0 and 1")]
    [TestCase("--validation", "0", "--validation must lie between 0 and 1")]
    [TestCase("--data-format", "png", "--data-format must be idx, cifar10 or folder (got png)")]
    public void Bad_values_are_usage_errors(string option, string value, string message)
    {
        (int code, _, string errors) = Run([option, value]);
        code.Should().Be(ExitCodes.Usage);
        errors.Should().Contain(message);
    }

    [Test]
    public void A_format_other_than_idx_needs_a_data_folder_and_a_broken_folder_names_its_problem()
    {
        (int code, _, string errors) = Run(["--data-format", "cifar10"]);
        code.Should().Be(ExitCodes.Usage);
        errors.Should().Contain("--data-format cifar10 needs --data DIR");

        File.WriteAllBytes(Path.Combine(Folder, "data_batch_1.bin"), new byte[100]);
        File.WriteAllBytes(Path.Combine(Folder, "test_batch.bin"), CifarBytes.Records(1, 1));
        (code, _, errors) = Run(["--data-format", "cifar10", "--data", Folder]);
        code.Should().Be(ExitCodes.Usage);
        errors.Should().Contain("data_batch_1.bin: holds 100 bytes, not a whole number of 3073-byte records");
    }

    [Test]
    public void The_validation_split_and_augmentation_are_fixed_by_a_checkpoint()
    {
        (int code, _, string errors) = Run(["--resume", "x.ckpt", "--augment"]);
        code.Should().Be(ExitCodes.Usage);
        errors.Should().Contain("--augment cannot be given with --resume");
    }

    private static string Digest(string output) => output.Split('\n').Single(l => l.StartsWith("parameter digest", StringComparison.Ordinal));
}
