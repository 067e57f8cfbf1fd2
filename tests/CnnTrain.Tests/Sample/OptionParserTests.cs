using CnnTrain.Mnist;
using FluentAssertions;
using NUnit.Framework;

namespace CnnTrain.Tests.Sample;

public class OptionParserTests
{
    [Test]
    public void No_arguments_give_the_defaults()
    {
        ParsedArguments parsed = OptionParser.Parse([]);

        parsed.HelpRequested.Should().BeFalse();
        parsed.Options.Should().Be(new Options());
        parsed.Options.Device.Should().Be(DeviceKind.Multicore);
        parsed.Options.Filters.Should().Be(32);
        parsed.Options.KernelSize.Should().Be(3);
        parsed.Options.BatchSize.Should().Be(100);
        parsed.Options.Epochs.Should().Be(3);
        parsed.Options.LearningRate.Should().Be(0.05f);
        parsed.Options.Momentum.Should().Be(0.9f);
        parsed.Options.Seed.Should().Be(1);
        parsed.Options.Initialization.Should().Be(Initialization.He);
        parsed.Options.DataDirectory.Should().BeNull();
        parsed.Options.ReportPath.Should().BeNull();
        parsed.Options.Quiet.Should().BeFalse();
        parsed.Options.Limit.Should().BeNull();
        parsed.Options.Threads.Should().BeNull();
    }

    [Test]
    public void Every_option_is_read_in_both_spellings()
    {
        string report = Path.Combine(Path.GetTempPath(), "report.json");
        ParsedArguments parsed = OptionParser.Parse(
        [
            "--device", "multicore", "--threads=3", "--filters", "8", "--kernel=5", "--batch-size", "64", "--epochs=2",
            "--lr", "0.05", "--momentum=0", "--seed", "-7", "--init=study", "--data", TestContext.CurrentContext.WorkDirectory,
            "--report=" + report, "--limit", "300", "--quiet",
        ]);

        parsed.Options.Should().Be(new Options
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
        Options.Name(OptionParser.Parse(["--device", name]).Options.Device).Should().Be(expected);

    [TestCase("--help")]
    [TestCase("-h")]
    public void Help_wins_over_everything_else(string help) =>
        OptionParser.Parse(["--epochs", "0", "--bogus", help]).HelpRequested.Should().BeTrue();

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
    public void Bad_command_lines_are_refused_with_one_clear_message(string[] args, string message) =>
        FluentActions.Invoking(() => OptionParser.Parse(args))
            .Should().Throw<OptionException>().WithMessage(message);

    [Test]
    public void A_negative_number_is_a_value_not_an_option() =>
        OptionParser.Parse(["--seed", "-3"]).Options.Seed.Should().Be(-3);

    [Test]
    public void Numbers_are_read_the_same_in_every_culture()
    {
        System.Globalization.CultureInfo saved = System.Globalization.CultureInfo.CurrentCulture;
        try
        {
            System.Globalization.CultureInfo.CurrentCulture = System.Globalization.CultureInfo.InvariantCulture;
            OptionParser.Parse(["--lr", "0.125"]).Options.LearningRate.Should().Be(0.125f);
        }
        finally
        {
            System.Globalization.CultureInfo.CurrentCulture = saved;
        }
    }

    [Test]
    public void The_parser_validates_what_it_reads() =>
        FluentActions.Invoking(() => OptionParser.Parse(["--device", "sequential", "--threads", "2"]))
            .Should().Throw<OptionException>().WithMessage("--threads applies only to --device multicore (got --device sequential)");
}
