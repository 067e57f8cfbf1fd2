using CnnTrain.Mnist;
using FluentAssertions;
using NUnit.Framework;
using static CnnTrain.Tests.Sample.SampleRunner;

namespace CnnTrain.Tests.Sample;

public class CommandLineTests
{
    [Test]
    public void No_arguments_give_the_defaults()
    {
        Options parsed = Parse();

        parsed.Should().Be(new Options());
        parsed.Device.Should().Be(DeviceKind.Multicore);
        parsed.Filters.Should().Be(32);
        parsed.KernelSize.Should().Be(3);
        parsed.BatchSize.Should().Be(100);
        parsed.Epochs.Should().Be(3);
        parsed.LearningRate.Should().Be(0.05f);
        parsed.Momentum.Should().Be(0.9f);
        parsed.Seed.Should().Be(1);
        parsed.Initialization.Should().Be(Initialization.He);
        parsed.DataDirectory.Should().BeNull();
        parsed.ReportPath.Should().BeNull();
        parsed.Quiet.Should().BeFalse();
        parsed.Limit.Should().BeNull();
        parsed.Threads.Should().BeNull();
    }

    [Test]
    public void Every_option_is_read_in_both_spellings()
    {
        string report = Path.Combine(Path.GetTempPath(), "report.json");
        Options parsed = Parse(
        [
            "--device", "multicore", "--threads=3", "--filters", "8", "--kernel=5", "--batch-size", "64", "--epochs=2",
            "--lr", "0.05", "--momentum=0", "--seed", "-7", "--init=study", "--data", TestContext.CurrentContext.WorkDirectory,
            "--report=" + report, "--limit", "300", "--quiet",
        ]);

        parsed.Should().Be(new Options
        {
            Device = DeviceKind.Multicore,
            Threads = 3,
            Filters = 8,
            KernelSize = 5,
            BatchSize = 64,
            Epochs = 2,
            LearningRate = 0.05f,
            Momentum = 0f,
            Seed = -7,
            Initialization = Initialization.Study,
            DataDirectory = TestContext.CurrentContext.WorkDirectory,
            ReportPath = report,
            Limit = 300,
            Quiet = true,
        });
    }

    [TestCase("sequential", "sequential")]
    [TestCase("multicore", "multicore")]
    [TestCase("cuda", "cuda")]
    [TestCase("Sequential", "sequential")]
    public void Devices_are_named(string name, string expected) =>
        Options.Name(Parse("--device", name).Device).Should().Be(expected);

    [TestCase("--help")]
    [TestCase("-h")]
    public void Help_wins_over_everything_else(string help)
    {
        (int code, string output, string errors) = Run(["--epochs", "0", "--bogus", help]);

        code.Should().Be(ExitCodes.Success);
        output.Should().Contain("Usage:").And.Contain("--epochs <E>");
        errors.Should().BeEmpty();
    }

    [TestCase(new[] { "--bogus" }, "unknown option --bogus (see --help)")]
    [TestCase(new[] { "--bogus=1" }, "unknown option --bogus (see --help)")]
    [TestCase(new[] { "-x" }, "unknown option -x (see --help)")]
    [TestCase(new[] { "train" }, "unexpected argument train (options start with --; see --help)")]
    [TestCase(new[] { "--" }, "unexpected argument -- (options start with --; see --help)")]
    [TestCase(new[] { "--epochs" }, "--epochs needs a value")]
    [TestCase(new[] { "--epochs=" }, "--epochs needs a value")]
    [TestCase(new[] { "--epochs", "--lr", "0.1" }, "--epochs needs a value")]
    [TestCase(new[] { "--epochs", "two" }, "--epochs expects a whole number (got two)")]
    [TestCase(new[] { "--epochs", "1.5" }, "--epochs expects a whole number (got 1.5)")]
    [TestCase(new[] { "--epochs", "99999999999" }, "--epochs is out of range (got 99999999999)")]
    [TestCase(new[] { "--lr", "abc" }, "--lr expects a finite number (got abc)")]
    [TestCase(new[] { "--lr", "NaN" }, "--lr expects a finite number (got NaN)")]
    [TestCase(new[] { "--lr", "1e99" }, "--lr expects a finite number (got 1e99)")]
    [TestCase(new[] { "--lr", "0,01" }, "--lr expects a finite number (got 0,01)")]
    [TestCase(new[] { "--device", "gpu" }, "--device must be sequential, multicore or cuda (got gpu)")]
    [TestCase(new[] { "--init", "xavier" }, "--init must be he or study (got xavier)")]
    [TestCase(new[] { "--quiet=yes" }, "--quiet takes no value (got yes)")]
    [TestCase(new[] { "--epochs", "1", "--epochs=2" }, "--epochs is given more than once")]
    [TestCase(new[] { "--epochs", "1", "2" }, "unexpected argument 2 (options start with --; see --help)")]
    [TestCase(new[] { "--data", "--bogus" }, "--data needs a value")]
    [TestCase(new[] { "--quiet", "true" }, "--quiet takes no value (got true)")]
    [TestCase(new[] { "predict", "--bogus" }, "unknown predict option --bogus (see predict --help)")]
    public void Bad_command_lines_are_refused_with_one_clear_message(string[] args, string message) =>
        FluentActions.Invoking(() => Parse(args)).Should().Throw<OptionException>().WithMessage(message);

    [Test]
    public void Every_problem_of_a_line_is_one_line_of_its_own()
    {
        (int code, string output, string errors) = Run(["--epochs", "two", "--bogus", "--device", "gpu"]);

        code.Should().Be(ExitCodes.Usage);
        output.Should().BeEmpty();
        errors.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries).Should().BeEquivalentTo(
            "error: unknown option --bogus (see --help)",
            "error: --epochs expects a whole number (got two)",
            "error: --device must be sequential, multicore or cuda (got gpu)");
    }

    [Test]
    public void A_file_name_starting_with_at_is_a_name_not_a_response_file() =>
        Parse("--report", "@report.json").ReportPath.Should().Be("@report.json");

    [Test]
    public void A_negative_number_is_a_value_not_an_option() =>
        Parse("--seed", "-3").Seed.Should().Be(-3);

    [Test]
    public void Numbers_are_read_the_same_in_every_culture()
    {
        System.Globalization.CultureInfo saved = System.Globalization.CultureInfo.CurrentCulture;
        try
        {
            System.Globalization.CultureInfo.CurrentCulture = System.Globalization.CultureInfo.InvariantCulture;
            Parse("--lr", "0.125").LearningRate.Should().Be(0.125f);
        }
        finally
        {
            System.Globalization.CultureInfo.CurrentCulture = saved;
        }
    }

    [Test]
    public void The_parser_validates_what_it_reads() =>
        FluentActions.Invoking(() => Parse("--device", "sequential", "--threads", "2"))
            .Should().Throw<OptionException>().WithMessage("--threads applies only to --device multicore (got --device sequential)");
}
