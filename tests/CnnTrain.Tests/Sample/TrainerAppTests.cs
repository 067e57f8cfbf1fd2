using System.Text.Json;
using CnnTrain.Mnist;
using CnnTrain.Mnist.Arguments;
using FluentAssertions;
using NUnit.Framework;
using static CnnTrain.Tests.Sample.SampleRunner;

namespace CnnTrain.Tests.Sample;

public class TrainerAppTests
{
    // Small enough for the scalar placeholder devices: 200 samples, 4 filters, 4 steps.
    private static readonly string[] Tiny = ["--epochs", "1", "--limit", "200", "--filters", "4", "--batch-size", "50", "--seed", "5", "--quiet"];

    private string _folder = null!;

    [SetUp]
    public void CreateFolder()
    {
        _folder = Path.Combine(Path.GetTempPath(), "cnntrain-sample-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_folder);
    }

    [TearDown]
    public void DeleteFolder() => Directory.Delete(_folder, recursive: true);

    [Test]
    public void Two_devices_with_the_same_seed_report_the_same_digest()
    {
        string sequentialReport = Path.Combine(_folder, "sequential.json");
        string multicoreReport = Path.Combine(_folder, "multicore.json");

        (int code, string output, string errors) = Run([.. Tiny, "--device", "sequential", "--report", sequentialReport]);
        code.Should().Be(ExitCodes.Success, errors);
        errors.Should().BeEmpty("stderr is not a terminal here, so no progress bar is drawn");
        output.Should().StartWith("sequential | Conv2D(4, 3x3) -> ReLU -> MaxPool2D(2x2) -> Flatten -> Dense(10) | 6810 parameters | 200 train / 200 test samples (bundled)");
        output.Should().MatchRegex(@"epoch 1/1  loss \d+\.\d{4}  train \d+\.\d{2}%  test \d+\.\d{2}%  \d+\.\d{3} s  \(\d+ img/s\)");
        output.Should().Contain("final test accuracy ").And.Contain("parameter digest (sha256) ");

        (code, _, errors) = Run([.. Tiny, "--device", "multicore", "--threads", "2", "--report=" + multicoreReport]);
        code.Should().Be(ExitCodes.Success, errors);

        using JsonDocument sequential = JsonDocument.Parse(File.ReadAllText(sequentialReport));
        using JsonDocument multicore = JsonDocument.Parse(File.ReadAllText(multicoreReport));
        CheckFields(sequential.RootElement);
        CheckFields(multicore.RootElement);
        sequential.RootElement.GetProperty("device").GetString().Should().Be("sequential");
        multicore.RootElement.GetProperty("device").GetString().Should().Be(new CnnTrain.Devices.Multicore.MulticoreDevice(2).Name);
        multicore.RootElement.GetProperty("settings").GetProperty("threads").GetInt32().Should().Be(2);
        sequential.RootElement.GetProperty("settings").GetProperty("threads").ValueKind.Should().Be(JsonValueKind.Null);

        string digest = sequential.RootElement.GetProperty("parameterDigest").GetString()!;
        digest.Should().MatchRegex("^[0-9a-f]{64}$");
        multicore.RootElement.GetProperty("parameterDigest").GetString().Should().Be(digest);
        output.Should().Contain(digest);

        // The step losses are written in round-trip form, so equal bits read back as equal floats.
        Report.Read(sequentialReport).Epochs[0].StepLosses.Should().Equal(Report.Read(multicoreReport).Epochs[0].StepLosses);
        File.Exists(sequentialReport + ".tmp").Should().BeFalse();
    }

    [Test]
    public void A_cancelled_run_exits_130_and_still_writes_the_report()
    {
        string report = Path.Combine(_folder, "cancelled.json");
        using var cancellation = new CancellationTokenSource();
        cancellation.Cancel();

        (int code, string output, string errors) = Run([.. Tiny, "--device", "sequential", "--report", report], cancellation.Token);

        code.Should().Be(ExitCodes.Cancelled);
        errors.Should().Contain("cancelled after 0 of 1 epochs");
        Report written = Report.Read(report);
        written.Cancelled.Should().BeTrue();
        written.Epochs.Should().BeEmpty();
        written.FinalTestAccuracy.Should().BeNull();

        // With no epoch completed the parameters are the initial ones.
        Network initial = Network.CreateStudy(4, 3, Initialization.He, seed: 5);
        written.ParameterDigest.Should().Be(initial.GetParameterDigest());
        output.Should().Contain(written.ParameterDigest);
    }

    [Test]
    public void Help_prints_the_usage_and_exits_0()
    {
        (int code, string output, string errors) = Run(["--help"]);

        code.Should().Be(ExitCodes.Success);
        output.Should().Contain("Usage:").And.Contain("predict").And.EndWith(HelpWithExitCodes.Text);
        string[] lines = output.Split(Environment.NewLine);
        foreach (string option in new[]
        {
            "--device <NAME>", "--threads <N>", "--filters <F>", "--kernel <K>", "--batch-size <B>", "--epochs <E>", "--lr <X>", "--momentum <X>",
            "--schedule <S>", "--weight-decay <X>", "--patience <N>", "--validation <X>", "--augment", "--seed <S>", "--init <NAME>", "--data <DIR>",
            "--data-format <F>", "--limit <N>", "--report <FILE>", "--plot <FILE>", "--confusion", "--save <FILE>", "--export-onnx <FILE>", "--checkpoint <FILE>",
            "--resume <FILE>", "--quiet", "-?, -h, --help",
        })
        {
            lines.Should().Contain(l => l.StartsWith("  " + option + " ", StringComparison.Ordinal) && l.Trim().Length > option.Length + 4, $"{option} is listed with a description");
        }

        output.Should().Contain("(default 32)").And.Contain("(default multicore)").And.Contain("(default 0.05)");
        errors.Should().BeEmpty();

        (code, output, _) = Run(["predict", "--help"]);
        code.Should().Be(ExitCodes.Success);
        output.Should().Contain(" predict [options]").And.Contain("--model <FILE>").And.Contain("--png <FILE>");
    }

    [TestCase(new[] { "--epochs", "0" }, "error: --epochs must be at least 1 (got 0)")]
    [TestCase(new[] { "--lr", "-1" }, "error: --lr must be positive (got -1)")]
    [TestCase(new[] { "--unknown" }, "error: unknown option --unknown (see --help)")]
    [TestCase(new[] { "--kernel", "28" }, "error: --kernel must be at most 27 for 28x28 images (got 28)")]
    public void Bad_options_print_one_line_and_exit_2(string[] args, string message)
    {
        (int code, string output, string errors) = Run(args);

        code.Should().Be(ExitCodes.Usage);
        errors.Should().Be(message + Environment.NewLine);
        output.Should().NotContain("epoch");
    }

    [Test]
    public void Cuda_without_a_gpu_exits_1_with_the_reason()
    {
        if (CnnTrain.Devices.Cuda.CudaDevice.IsAvailable(out _))
        {
            Assert.Ignore("A GPU is present; this test covers machines without one.");
        }

        (int code, string output, string errors) = Run(["--device", "cuda", "--limit", "10"]);

        code.Should().Be(ExitCodes.Failure);
        errors.Should().StartWith("error: --device cuda: ").And.Contain("CUDA").And.EndWith(Environment.NewLine);
        errors.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries).Should().ContainSingle("one line, no stack trace");
        output.Should().NotContain("epoch");
    }

    [Test]
    public void A_data_folder_without_idx_files_exits_2()
    {
        (int code, _, string errors) = Run(["--data", _folder]);

        code.Should().Be(ExitCodes.Usage);
        errors.Should().Be($"error: --data {_folder}: {_folder} has no train-images-idx3-ubyte (raw or .gz).{Environment.NewLine}");
    }

    [Test]
    public void Malformed_idx_files_exit_2_naming_the_file()
    {
        foreach (string name in new[] { "train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte" })
        {
            File.WriteAllBytes(Path.Combine(_folder, name), [0, 0, 8, 3, 0, 0]);
        }

        (int code, _, string errors) = Run(["--data", _folder]);

        code.Should().Be(ExitCodes.Usage);
        errors.Should().StartWith($"error: --data {_folder}: {Path.Combine(_folder, "train-images-idx3-ubyte")}: ").And.Contain("truncated");
        errors.TrimEnd().Should().NotContain(Environment.NewLine, "the error is one line without a stack trace");
    }

    private static void CheckFields(JsonElement root)
    {
        JsonElement settings = root.GetProperty("settings");
        foreach (string name in new[] { "device", "threads", "filters", "kernelSize", "batchSize", "epochs", "learningRate", "momentum", "seed", "init", "data", "limit" })
        {
            settings.TryGetProperty(name, out _).Should().BeTrue($"settings.{name} is reported");
        }

        settings.GetProperty("filters").GetInt32().Should().Be(4);
        settings.GetProperty("seed").GetInt32().Should().Be(5);
        settings.GetProperty("init").GetString().Should().Be("he");
        settings.GetProperty("data").GetString().Should().Be("bundled");
        settings.GetProperty("limit").GetInt32().Should().Be(200);
        settings.GetProperty("learningRate").GetSingle().Should().Be(0.05f);

        JsonElement network = root.GetProperty("network");
        network.GetProperty("parameterCount").GetInt64().Should().Be(6810);
        network.GetProperty("layers").EnumerateArray().Select(l => l.GetString())
            .Should().Equal("Conv2D(4, 3x3)", "ReLU", "MaxPool2D(2x2)", "Flatten", "Dense(10)");

        JsonElement epoch = root.GetProperty("epochs").EnumerateArray().Should().ContainSingle().Subject;
        epoch.GetProperty("epoch").GetInt32().Should().Be(1);
        foreach (string name in new[] { "meanLoss", "trainAccuracy", "testLoss", "testAccuracy", "trainSeconds", "evalSeconds", "samplesPerSecond" })
        {
            epoch.GetProperty(name).ValueKind.Should().Be(JsonValueKind.Number, $"epochs[0].{name} is a number");
        }

        epoch.GetProperty("stepLosses").GetArrayLength().Should().Be(4);
        root.GetProperty("cancelled").GetBoolean().Should().BeFalse();
        root.GetProperty("finalTestAccuracy").GetDouble().Should().Be(epoch.GetProperty("testAccuracy").GetDouble());
        root.GetProperty("machine").GetProperty("processorCount").GetInt32().Should().Be(Environment.ProcessorCount);
        root.GetProperty("machine").GetProperty("os").GetString().Should().NotBeNullOrEmpty();
        root.GetProperty("machine").GetProperty("dotnetVersion").GetString().Should().StartWith(".NET");
        root.GetProperty("timestamp").GetString().Should().EndWith("Z");
        root.GetProperty("timestamp").GetDateTime().Kind.Should().Be(DateTimeKind.Utc);
    }
}
