using FluentAssertions;
using NUnit.Framework;

namespace CnnTrain.Tests.Runner;

public sealed class RunDefaultsTests
{
    private static readonly string Settings = Path.Combine("bin", RunDefaults.SettingsFileName);

    [Test]
    public void A_plain_run_shows_failed_results_only_and_reads_the_settings_file() =>
        RunDefaults.Apply(["--filter", "Name~Cuda"], "bin", cudaAvailable: true).Should().Equal(
            "--filter", "Name~Cuda", "--show-test-results", "failed", "--settings", Settings);

    [TestCase("--show-test-results", "all")]
    [TestCase("--show-test-results:skipped", null)]
    [TestCase("-show-test-results=passed", null)]
    [TestCase("--output", "Detailed")]
    [TestCase("--OUTPUT", "Detailed")]
    public void A_chosen_result_display_is_kept(string option, string? value)
    {
        string[] args = value is null ? [option] : [option, value];

        RunDefaults.Apply(args, "bin", cudaAvailable: true).Should().Equal([.. args, "--settings", Settings]);
    }

    [TestCase("--settings", "mine.runsettings")]
    [TestCase("--settings:mine.runsettings", null)]
    public void A_chosen_settings_file_is_kept(string option, string? value)
    {
        string[] args = value is null ? [option] : [option, value];

        RunDefaults.Apply(args, "bin", cudaAvailable: true).Should().Equal([.. args, "--show-test-results", "failed"]);
    }

    [Test]
    public void A_client_that_renders_the_results_keeps_the_adapter_s_own_settings() =>
        RunDefaults.Apply(["--server", "dotnettestcli", "--dotnet-test-pipe", "p"], "bin", cudaAvailable: true).Should().Equal(
            "--server", "dotnettestcli", "--dotnet-test-pipe", "p", "--show-test-results", "failed");

    [TestCase("--output-directory")]
    [TestCase("--settingsx")]
    [TestCase("output")]
    public void An_option_that_only_starts_with_a_default_s_name_does_not_count_as_it(string arg) =>
        RunDefaults.Apply([arg], "bin", cudaAvailable: true).Should().Equal(arg, "--show-test-results", "failed", "--settings", Settings);

    [Test]
    public void Without_a_gpu_the_cuda_tests_are_left_out_unless_a_filter_is_given()
    {
        RunDefaults.Apply([], "bin", cudaAvailable: false).Should().Equal(
            "--filter", "TestCategory!=Cuda", "--show-test-results", "failed", "--settings", Settings);
        RunDefaults.Apply(["--filter", "Name~Cuda"], "bin", cudaAvailable: false).Should().Equal(
            "--filter", "Name~Cuda", "--show-test-results", "failed", "--settings", Settings);
        RunDefaults.Apply(["--filter-uid", "x"], "bin", cudaAvailable: false).Should().NotContain("TestCategory!=Cuda");
        RunDefaults.Apply([], "bin", cudaAvailable: true).Should().NotContain("--filter");
    }
}
