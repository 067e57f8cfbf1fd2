using System.Text.Json;
using System.Text.RegularExpressions;
using CnnTrain.Benchmark.Measure;
using CnnTrain.Tests.Support;
using FluentAssertions;
using NUnit.Framework;

namespace CnnTrain.Tests.Benchmark;

/// <summary>
/// The benchmark suite's CPU part, run in-process on small slices, so that the suite (its networks, data,
/// timing protocol, device agreement and output) cannot rot between runs on the GPU host.
/// </summary>
[NonParallelizable]
public sealed class BenchmarkSuiteTests : TempFolderTests
{
    [Test]
    public void Every_named_network_runs_on_the_cpu_devices_and_they_agree()
    {
        (int code, string output, string errors) = Run(
            "--networks", "named", "--devices", "sequential,multicore", "--threads", "1,3", "--batches", "4",
            "--images", "12", "--epochs", "2", "--budget", "0.001", "--output", Folder);

        code.Should().Be(0, $"the run succeeds and the devices agree; output:\n{output}\n{errors}");
        output.Should().NotContain("MISMATCH");
        List<JsonElement> rows = Lines("cnntrain-*.jsonl");
        rows.Select(r => (r.GetProperty("network").GetString(), r.GetProperty("mode").GetString(), r.GetProperty("threads").GetInt32()))
            .Should().BeEquivalentTo(
                from n in new[] { "lenet5", "mnist-example", "cifar", "strided" }
                from d in new[] { ("sequential", 1), ("multicore", 1), ("multicore", 3) }
                select ((string?)n, (string?)d.Item1, d.Item2));
        foreach (IGrouping<string?, JsonElement> network in rows.GroupBy(r => r.GetProperty("network").GetString()))
        {
            network.Select(r => r.GetProperty("check_digest").GetString()).Distinct().Should().ContainSingle($"{network.Key}'s devices agree");
            network.Select(r => r.GetProperty("final_digest").GetString()).Distinct().Should().ContainSingle("equal slices train equal bits");
        }

        foreach (JsonElement r in rows)
        {
            r.GetProperty("error").ValueKind.Should().Be(JsonValueKind.Null);
            r.GetProperty("timed_images").GetInt32().Should().Be(4, "one batch is the smallest slice, and a budget of 1 ms forces it");
            r.GetProperty("scaled").GetBoolean().Should().BeTrue();
            double[] epochs = [.. r.GetProperty("epoch_seconds").EnumerateArray().Select(e => e.GetDouble())];
            epochs.Should().HaveCount(2).And.OnlyContain(s => s > 0);
            r.GetProperty("best_seconds").GetDouble().Should().Be(epochs.Min());
            r.GetProperty("images_per_second").GetDouble().Should().BeApproximately(12 / epochs.Min(), 1e-6);
            r.GetProperty("peak_device_bytes").GetInt64().Should().BePositive();
            r.GetProperty("peak_host_bytes").GetInt64().Should().BePositive();
        }
    }

    [Test]
    public void A_fast_device_is_timed_on_the_whole_epoch()
    {
        (int code, _, string errors) = Run(
            "--networks", "study-f32", "--devices", "multicore", "--threads", "2", "--batches", "25", "--images", "50",
            "--epochs", "3", "--budget", "1000", "--output", Folder);

        code.Should().Be(0, errors);
        JsonElement row = Lines("cnntrain-*.jsonl").Should().ContainSingle().Subject;
        row.GetProperty("timed_images").GetInt32().Should().Be(50);
        row.GetProperty("scaled").GetBoolean().Should().BeFalse();
        row.GetProperty("epoch_seconds").GetArrayLength().Should().Be(3);
    }

    [Test]
    public void Without_batches_each_network_runs_its_own_batch_sizes()
    {
        (int code, _, string errors) = Run(
            "--networks", "study-f32", "--devices", "sequential", "--images", "6", "--epochs", "2", "--budget", "1000", "--output", Folder);

        code.Should().Be(0, errors);
        Lines("cnntrain-*.jsonl").Select(r => r.GetProperty("batch").GetInt32()).Should().Equal(100, 250, 500, 1000);
    }

    [Test]
    public void The_profile_times_every_operation_of_a_step()
    {
        (int code, string output, string errors) = Run(
            "--profile-ops", "--networks", "lenet5", "--devices", "sequential", "--batches", "3", "--budget", "0.01", "--output", Folder);

        code.Should().Be(0, errors);
        JsonElement profile = Lines("cnntrain-profiles-*.jsonl").Should().ContainSingle().Subject;
        string[] operations = [.. profile.GetProperty("operations").EnumerateArray().Select(o => o.GetProperty("operation").GetString()!)];
        operations.Should().Equal(
            "Conv2D(6, 5x5, padding 2) + ReLU + MaxPool2D(2x2): forward",
            "Conv2D(16, 5x5) + ReLU + MaxPool2D(2x2): forward",
            "Dense(120) + ReLU: forward", "Dense(84) + ReLU: forward", "Dense(10): forward",
            "softmax cross-entropy",
            "Dense(10): backward", "Dense(84) + ReLU: backward", "Dense(120) + ReLU: backward",
            "Conv2D(16, 5x5) + ReLU + MaxPool2D(2x2): backward",
            "Conv2D(6, 5x5, padding 2) + ReLU + MaxPool2D(2x2): backward",
            "SGD(momentum 0.9) update (10 tensors)");
        profile.GetProperty("operations").EnumerateArray().Should().OnlyContain(o => o.GetProperty("microseconds").GetDouble() > 0);

        // Printed as a Markdown table: a row per operation, in order, then the step.
        string[] rows = [.. output.Split('\n').Where(l => l.StartsWith('|')).Select(l => l.TrimEnd())];
        rows[0].Should().MatchRegex(@"^\| operation +\| +µs \| +share \|$");
        rows.Skip(2).Select(r => r.Split('|')[1].Trim()).Should().Equal([.. operations, "one step"]);
        rows.Skip(2).Should().OnlyContain(r => Regex.IsMatch(r, @"\| +[0-9]+\.[0-9]{2} \| +[0-9]+\.[0-9]% \|$"));
        output.Should().NotContain("\u001b", "the tables are plain text");
    }

    [Test]
    public void The_list_is_a_table_of_the_networks()
    {
        (int code, string output, string errors) = Run("--list", "--networks", "named");

        code.Should().Be(0, errors);
        string[] rows = [.. output.Split('\n').Where(l => l.StartsWith('|')).Select(l => l.TrimEnd())];
        rows[0].Should().MatchRegex(@"^\| network +\| group +\| input +\| batches +\| layers \|$");
        rows.Skip(2).Select(r => r.Split('|')[1].Trim()).Should().Equal("lenet5", "mnist-example", "cifar", "strided");
        rows.Should().Contain(r => r.Contains("| 3x32x32 ", StringComparison.Ordinal), "the CIFAR net's input");
    }

    [TestCase("--devices", "tpu", "unknown device 'tpu'")]
    [TestCase("--batches", "0", "'0' is not a positive integer")]
    [TestCase("--networks", "resnet", "unknown network 'resnet'")]
    [TestCase("--budget", "-1", "not a positive number of seconds")]
    [TestCase("--spec", "/nonexistent/networks.json", "/nonexistent/networks.json")]
    public void Bad_options_exit_2_and_name_the_problem(string option, string value, string message)
    {
        (int code, _, string errors) = Run(option, value, "--devices", option == "--devices" ? value : "sequential", "--output", Folder);

        code.Should().Be(2);
        errors.Should().Contain(message);
    }

    [TestCase(1e-3, 100, 60_000, 2.0, 2_000)]      // 60 s per epoch: the 20 batches that fit the budget
    [TestCase(1e-6, 100, 60_000, 2.0, 60_000)]     // 0.06 s per epoch: the whole epoch
    [TestCase(1.0, 1000, 60_000, 2.0, 1_000)]      // one batch already takes longer: one batch
    [TestCase(1e-3, 100, 150, 0.01, 100)]          // never more than the epoch, never less than a batch
    public void The_slice_is_the_whole_batches_that_fit_the_budget(double secondsPerImage, int batch, int epoch, double budget, int expected) =>
        EpochProtocol.SliceFor(secondsPerImage, batch, epoch, budget).Should().Be(expected);

    private static (int Code, string Output, string Errors) Run(params string[] args)
    {
        using var output = new StringWriter();
        using var errors = new StringWriter();
        int code = global::Benchmark.Run(args, output, errors);
        return (code, output.ToString(), errors.ToString());
    }

    private List<JsonElement> Lines(string pattern) =>
        [.. Directory.GetFiles(Folder, pattern).Should().ContainSingle().Subject is string file
            ? File.ReadAllLines(file).Where(l => l.Length > 0).Select(l => JsonDocument.Parse(l).RootElement.Clone())
            : []];
}
