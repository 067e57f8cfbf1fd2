using System.Text.Json;
using CnnTrain.Data;
using CnnTrain.Devices.Sequential;
using CnnTrain.Mnist;
using CnnTrain.Tests.Support;
using CnnTrain.Training;
using FluentAssertions;
using NUnit.Framework;
using static CnnTrain.Tests.Sample.SampleRunner;
using CnnTrain.Optimizers;

namespace CnnTrain.Tests.Sample;

/// <summary>The app with a schedule, weight decay, early stopping, the chart and the confusion matrix, end to end.</summary>
public class TrainingRunTests
{
    private static readonly string[] Tiny = ["--limit", "200", "--filters", "4", "--batch-size", "50", "--seed", "5", "--quiet"];

    private string _folder = null!;

    [SetUp]
    public void CreateFolder()
    {
        _folder = Path.Combine(Path.GetTempPath(), "cnntrain-training-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_folder);
    }

    [TearDown]
    public void DeleteFolder() => Directory.Delete(_folder, recursive: true);

    [Test]
    public void A_run_writes_the_chart_prints_and_reports_the_confusion_matrix_and_matches_the_library()
    {
        string report = Path.Combine(_folder, "report.json");
        string plot = Path.Combine(_folder, "chart.png");

        (int code, string output, string errors) = Run(
        [
            .. Tiny, "--epochs", "2", "--device", "sequential", "--schedule", "step:1:0.5", "--weight-decay", "0.001",
            "--confusion", "--plot", plot, "--report", report,
        ]);

        code.Should().Be(ExitCodes.Success, errors);
        output.Should().MatchRegex(@"true\\pred +0 +1 +2 +3 +4 +5 +6 +7 +8 +9\r?\n( +\d( +\d+){10}\r?\n){10}");
        output.Should().NotContain("\u001b", "stdout is redirected here, so the table is plain text");
        output.Should().Contain($"chart written to {plot}");

        StbImageSharp.ImageResult chart = StbImageSharp.ImageResult.FromMemory(File.ReadAllBytes(plot));
        (chart.Width, chart.Height).Should().Be((1200, 480));

        // The same training through the library: the app must pass the schedule and weight decay on.
        Dataset test = TestData.BundledTest.Slice(0, 200);
        Network network = Network.CreateStudy(4, 3, Initialization.He, seed: 5);
        using var device = new SequentialDevice();
        using var trainer = new Trainer(network, device, new TrainerOptions
        {
            BatchSize = 50, LearningRate = 0.05f, Optimizer = new Sgd(0.9f, 0.001f), Seed = 5, Schedule = LearningRateSchedule.Step(1, 0.5),
        });
        IReadOnlyList<int> predictions = trainer.Fit(TestData.BundledTrain.Slice(0, 200), test, 2)[^1].Test!.Predictions;

        using JsonDocument json = JsonDocument.Parse(File.ReadAllText(report));
        JsonElement root = json.RootElement;
        root.GetProperty("parameterDigest").GetString().Should().Be(network.GetParameterDigest());
        root.GetProperty("stoppedEarly").GetBoolean().Should().BeFalse();
        JsonElement settings = root.GetProperty("settings");
        settings.GetProperty("schedule").GetString().Should().Be("step:1:0.5");
        settings.GetProperty("weightDecay").GetSingle().Should().Be(0.001f);
        settings.GetProperty("patience").ValueKind.Should().Be(JsonValueKind.Null);

        int[][] matrix = [.. root.GetProperty("confusionMatrix").EnumerateArray().Select(r => r.EnumerateArray().Select(c => c.GetInt32()).ToArray())];
        matrix.Should().HaveCount(10).And.OnlyContain(r => r.Length == 10);
        matrix.Sum(r => r.Sum()).Should().Be(200);
        int[] labels = test.Labels.ToArray();
        for (int t = 0; t < 10; t++)
        {
            for (int p = 0; p < 10; p++)
            {
                matrix[t][p].Should().Be(Enumerable.Range(0, 200).Count(i => labels[i] == t && predictions[i] == p), $"cell ({t}, {p})");
            }
        }

        int correct = Enumerable.Range(0, 10).Sum(i => matrix[i][i]);
        root.GetProperty("finalTestAccuracy").GetDouble().Should().Be(correct / 200.0);
    }

    [Test]
    public void Patience_stops_the_run_when_the_test_loss_stops_improving()
    {
        string report = Path.Combine(_folder, "report.json");

        // At this rate the test loss improves twice and then gets worse (found by running it; the run is deterministic).
        (int code, string output, string errors) = Run([.. Tiny, "--epochs", "5", "--lr", "0.5", "--patience", "1", "--report", report]);

        code.Should().Be(ExitCodes.Success, errors);
        output.Should().Contain("epoch 3/5").And.NotContain("epoch 4/5");
        output.Should().MatchRegex(@"early stopping: the test loss has not improved for 1 epoch \(best \d\.\d{4} at epoch 2\)");
        Report written = Report.Read(report);
        written.StoppedEarly.Should().BeTrue();
        written.Epochs.Should().HaveCount(3);
        written.Settings.Patience.Should().Be(1);
        written.ConfusionMatrix!.Sum(r => r.Sum()).Should().Be(200);
    }

    [Test]
    public void A_run_cancelled_before_its_first_epoch_still_reports_a_confusion_matrix_and_writes_no_chart()
    {
        string report = Path.Combine(_folder, "report.json");
        string plot = Path.Combine(_folder, "chart.png");
        using var cancellation = new CancellationTokenSource();
        cancellation.Cancel();

        (int code, _, string errors) = Run([.. Tiny, "--device", "sequential", "--plot", plot, "--report", report], cancellation.Token);

        code.Should().Be(ExitCodes.Cancelled);
        errors.Should().Contain($"no epoch completed, so no chart was written to {plot}");
        File.Exists(plot).Should().BeFalse();
        Report.Read(report).ConfusionMatrix!.Sum(r => r.Sum()).Should().Be(200);
    }
}
