using CnnTrain.Mnist;
using FluentAssertions;
using NUnit.Framework;
using static CnnTrain.Tests.Sample.SampleRunner;

namespace CnnTrain.Tests.Sample;

public class OptionsValidationTests
{
    [Test]
    public void The_defaults_are_valid() => FluentActions.Invoking(() => new Options().Validate()).Should().NotThrow();

    [TestCase(new[] { "--epochs", "0" }, "--epochs must be at least 1 (got 0)")]
    [TestCase(new[] { "--filters", "0" }, "--filters must be at least 1 (got 0)")]
    [TestCase(new[] { "--filters", "5000" }, "--filters must be at most 4096 (got 5000)")]
    [TestCase(new[] { "--kernel", "-1" }, "--kernel must be at least 1 (got -1)")]
    [TestCase(new[] { "--batch-size", "0" }, "--batch-size must be at least 1 (got 0)")]
    [TestCase(new[] { "--threads", "0" }, "--threads must be at least 1 (got 0)")]
    [TestCase(new[] { "--limit", "0" }, "--limit must be at least 1 (got 0)")]
    [TestCase(new[] { "--lr", "-1" }, "--lr must be positive (got -1)")]
    [TestCase(new[] { "--lr", "0" }, "--lr must be positive (got 0)")]
    [TestCase(new[] { "--momentum", "1" }, "--momentum must be at least 0 and below 1 (got 1)")]
    [TestCase(new[] { "--momentum", "-0.5" }, "--momentum must be at least 0 and below 1 (got -0.5)")]
    [TestCase(new[] { "--device", "sequential", "--threads", "2" }, "--threads applies only to --device multicore (got --device sequential)")]
    [TestCase(new[] { "--device", "cuda", "--threads", "2" }, "--threads applies only to --device multicore (got --device cuda)")]
    public void Out_of_range_values_are_named_with_the_value(string[] args, string message) =>
        FluentActions.Invoking(() => Parse(args)).Should().Throw<OptionException>().WithMessage(message);

    [Test]
    public void A_missing_data_folder_is_refused()
    {
        string missing = Path.Combine(Path.GetTempPath(), "cnntrain-no-such-folder-" + Guid.NewGuid().ToString("N"));
        FluentActions.Invoking(() => new Options { DataDirectory = missing }.Validate())
            .Should().Throw<OptionException>().WithMessage($"--data folder not found (got {missing})");
    }

    [Test]
    public void A_report_in_a_missing_folder_is_refused_before_training()
    {
        string missing = Path.Combine(Path.GetTempPath(), "cnntrain-no-such-folder-" + Guid.NewGuid().ToString("N"), "r.json");
        FluentActions.Invoking(() => new Options { ReportPath = missing }.Validate())
            .Should().Throw<OptionException>().WithMessage("--report folder * does not exist (got *)");
    }

    [Test]
    public void A_report_path_that_is_a_folder_is_refused() =>
        FluentActions.Invoking(() => new Options { ReportPath = Path.GetTempPath() }.Validate())
            .Should().Throw<OptionException>().WithMessage("--report must name a file, not a folder (got *)");
}
