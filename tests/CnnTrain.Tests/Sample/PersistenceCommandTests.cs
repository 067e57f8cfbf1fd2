using CnnTrain.Data;
using CnnTrain.Devices.Sequential;
using CnnTrain.Mnist;
using CnnTrain.Tests.Support;
using FluentAssertions;
using NUnit.Framework;
using StbImageWriteSharp;
using static CnnTrain.Tests.Sample.SampleRunner;

namespace CnnTrain.Tests.Sample;

public class PersistenceCommandTests : TempFolderTests
{
    private static readonly string[] Tiny = ["--limit", "200", "--filters", "4", "--batch-size", "50", "--seed", "5", "--quiet", "--device", "sequential"];

    [Test]
    public void ResumingFromACheckpointGivesTheDigestOfAStraightRun()
    {
        string checkpoint = Path.Combine(Folder, "run.ckpt");
        (int code, string straight, string errors) = Run([.. Tiny, "--epochs", "3"]);
        code.Should().Be(ExitCodes.Success, errors);

        (code, _, errors) = Run([.. Tiny, "--epochs", "1", "--checkpoint", checkpoint]);
        code.Should().Be(ExitCodes.Success, errors);
        (code, string resumed, errors) = Run(["--limit", "200", "--quiet", "--device", "sequential", "--epochs", "3", "--resume", checkpoint]);
        code.Should().Be(ExitCodes.Success, errors);
        resumed.Should().Contain("resuming from").And.Contain("epoch 3/3").And.NotContain("epoch 1/3");
        Digest(resumed).Should().Be(Digest(straight));
    }

    [Test]
    public void OptionsTheCheckpointFixesAreRefused()
    {
        string checkpoint = Path.Combine(Folder, "run.ckpt");
        File.WriteAllBytes(checkpoint, [1]);
        (int code, _, string errors) = Run(["--resume", checkpoint, "--lr", "0.1"]);
        code.Should().Be(ExitCodes.Usage);
        errors.Should().Be($"error: --lr cannot be given with --resume: the checkpoint fixes it{Environment.NewLine}");

        (code, _, errors) = Run(["--resume", checkpoint, "--quiet"]);
        code.Should().Be(ExitCodes.Failure);
        errors.Should().StartWith($"error: {checkpoint}: not a CnnTrain file");
    }

    [Test]
    public void PredictReadsIdxAndPngLikeTheLibrary()
    {
        string model = Path.Combine(Folder, "model.cnnt");
        (int code, _, string errors) = Run([.. Tiny, "--epochs", "1", "--save", model]);
        code.Should().Be(ExitCodes.Success, errors);

        Dataset test = TestData.BundledTest;
        using var device = new SequentialDevice();
        int[] expected = Network.Load(model).Predict(device, test.Samples.Span);

        (code, string output, errors) = Run(["predict", "--model", model, "--idx", Path.Combine(TestData.BundledDirectory, "t10k-images-idx3-ubyte.gz"), "--device", "sequential"]);
        code.Should().Be(ExitCodes.Success, errors);
        string[] lines = output.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        lines.Should().HaveCount(test.Count);
        lines.Select(l => int.Parse(l.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture)).Should().Equal(expected);

        var pngs = new List<string>();
        for (int i = 0; i < 3; i++)
        {
            byte[] pixels = [.. test.Samples.Span.Slice(i * 784, 784).ToArray().Select(v => (byte)Math.Round(v * 255))];
            byte[] rgb = [.. pixels.SelectMany(p => new[] { p, p, p })];
            string png = Path.Combine(Folder, $"digit{i}.png");
            TestImages.Write(png, 28, 28, rgb, ColorComponents.RedGreenBlue, "png");
            pngs.Add(png);
        }

        (code, output, errors) = Run(["predict", "--model", model, "--png", .. pngs]);
        code.Should().Be(ExitCodes.Success, errors);
        output.Should().Be(string.Concat(pngs.Select((p, i) => $"{p} {expected[i]}{Environment.NewLine}")));
    }

    [Test]
    public void ExportOnnxWritesAModelThatOnnxRuntimeRunsLikeTheSavedOne()
    {
        string model = Path.Combine(Folder, "model.cnnt");
        string onnx = Path.Combine(Folder, "model.onnx");
        (int code, string output, string errors) = Run([.. Tiny, "--epochs", "1", "--save", model, "--export-onnx", onnx]);
        code.Should().Be(ExitCodes.Success, errors);
        output.Should().Contain($"ONNX model written to {onnx}");

        Network saved = Network.Load(model);
        float[] samples = TestData.BundledTest.Samples.Span[..(50 * 784)].ToArray();
        using var device = new SequentialDevice();
        (float[] logits, _) = Onnx.OnnxRunner.Run(File.ReadAllBytes(onnx), saved, samples);
        Onnx.OnnxRunner.ArgMax(logits, saved.Classes).Should().Equal(saved.Predict(device, samples));
    }

    [Test]
    public void ExportOnnxToAMissingFolderIsRefusedBeforeTraining()
    {
        (int code, string output, string errors) = Run([.. Tiny, "--epochs", "1", "--export-onnx", Path.Combine(Folder, "no", "m.onnx")]);
        code.Should().Be(ExitCodes.Usage);
        errors.Should().Contain("--export-onnx");
        output.Should().NotContain("epoch 1/1");
    }

    [Test]
    public void PredictReadsJpegsAsTheLibraryDecodesThem()
    {
        string model = Path.Combine(Folder, "model.cnnt");
        (int code, _, string errors) = Run([.. Tiny, "--epochs", "1", "--save", model]);
        code.Should().Be(ExitCodes.Success, errors);
        Network network = Network.Load(model);
        using var device = new SequentialDevice();

        var jpegs = new List<string>();
        var expected = new List<int>();
        Dataset test = TestData.BundledTest;
        for (int i = 0; i < 4; i++)
        {
            byte[] gray = [.. test.Samples.Span.Slice(i * 784, 784).ToArray().Select(v => (byte)Math.Round(v * 255))];
            string jpeg = Path.Combine(Folder, $"digit{i}.jpg");
            TestImages.Write(jpeg, 28, 28, gray, ColorComponents.Grey, "jpg");
            jpegs.Add(jpeg);
            (float[] values, _) = Dataset.LoadImage(jpeg, new ImageFolderOptions { Channels = 1 });
            expected.Add(network.Predict(device, values)[0]);
        }

        (code, string output, errors) = Run(["predict", "--model", model, "--image", .. jpegs]);
        code.Should().Be(ExitCodes.Success, errors);
        output.Should().Be(string.Concat(jpegs.Select((p, i) => $"{p} {expected[i]}{Environment.NewLine}")));
        expected.Should().Equal(network.Predict(device, test.Samples.Span[..(4 * 784)]), "a quality-95 JPEG of a digit is still that digit");
    }

    [Test]
    public void ASavedModelPredictsTheSameLabelsInAFreshProcess()
    {
        Network network = Network.CreateStudy(4, initialization: Initialization.He, seed: 6);
        using (var device = new SequentialDevice())
        using (var trainer = new CnnTrain.Training.Trainer(network, device, new CnnTrain.Training.TrainerOptions { BatchSize = 50 }))
        {
            trainer.Fit(TestData.BundledTrain.Slice(0, 200));
        }

        string model = Path.Combine(Folder, "model.cnnt");
        network.Save(model);
        string images = Path.Combine(TestData.BundledDirectory, "t10k-images-idx3-ubyte.gz");
        using var host = new SequentialDevice();
        int[] expected = network.Predict(host, TestData.BundledTest.Samples.Span);

        // The sample's own executable, next to the tests, in a process of its own.
        string app = Path.Combine(AppContext.BaseDirectory, OperatingSystem.IsWindows() ? "CnnTrain.Mnist.exe" : "CnnTrain.Mnist");
        var start = new System.Diagnostics.ProcessStartInfo(app) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string arg in new[] { "predict", "--model", model, "--idx", images, "--device", "multicore" })
        {
            start.ArgumentList.Add(arg);
        }

        using var process = System.Diagnostics.Process.Start(start)!;
        string output = process.StandardOutput.ReadToEnd();
        string errors = process.StandardError.ReadToEnd();
        process.WaitForExit();
        process.ExitCode.Should().Be(ExitCodes.Success, errors);
        output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => int.Parse(l.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture))
            .Should().Equal(expected);
    }

    [Test]
    public void PredictExplainsBadInput()
    {
        string model = Path.Combine(Folder, "model.cnnt");
        Network.CreateStudy(2, seed: 1).Save(model);
        string wrongSize = Path.Combine(Folder, "big.png");
        TestImages.Write(wrongSize, 30, 30, new byte[900], ColorComponents.Grey, "png");

        (int code, _, string errors) = Run(["predict", "--model", model, "--png", wrongSize]);
        code.Should().Be(ExitCodes.Failure);
        errors.Should().Be($"error: {wrongSize}: the images are 30x30; the model takes (1, 28, 28){Environment.NewLine}");

        (code, _, errors) = Run(["predict", "--model", model]);
        code.Should().Be(ExitCodes.Usage);
        errors.Should().Contain("either --idx IMAGES or --image FILE");

        (code, _, errors) = Run(["predict", "--model", Path.Combine(Folder, "none.cnnt"), "--png", wrongSize]);
        code.Should().Be(ExitCodes.Failure);
        errors.Should().Contain("none.cnnt");

        string damaged = Path.Combine(Folder, "damaged.png");
        File.WriteAllBytes(damaged, [.. File.ReadAllBytes(wrongSize).Take(40)]);
        (code, _, errors) = Run(["predict", "--model", model, "--png", damaged]);
        code.Should().Be(ExitCodes.Failure);
        errors.Should().StartWith($"error: {damaged}: ");
    }

    private static string Digest(string output) =>
        output.Split(Environment.NewLine).Single(l => l.StartsWith("parameter digest", StringComparison.Ordinal));
}
