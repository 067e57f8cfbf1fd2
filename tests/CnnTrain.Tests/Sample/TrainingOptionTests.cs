using CnnTrain.Mnist;
using CnnTrain.Training;
using FluentAssertions;
using NUnit.Framework;
using CnnTrain.Optimizers;
using CnnTrain.Mnist.Arguments;
using static CnnTrain.Tests.Sample.SampleRunner;

namespace CnnTrain.Tests.Sample;

public class TrainingOptionTests
{
    [Test]
    public void The_defaults_train_as_before()
    {
        var options = new Options();
        options.Schedule.Should().Be(ScheduleOption.Constant);
        options.WeightDecay.Should().Be(0f);
        options.Patience.Should().BeNull();
        options.PlotPath.Should().BeNull();
        options.Confusion.Should().BeFalse();
        TrainerOptions configured = AfterTraining.Configure(new TrainerOptions(), options);
        configured.Should().Be(new TrainerOptions());
    }

    [Test]
    public void The_options_are_read_and_reach_the_trainer()
    {
        string plot = Path.Combine(Path.GetTempPath(), "chart.png");
        Options options = Parse("--schedule", "step:2:0.5", "--weight-decay=0.0005", "--patience", "3", "--plot", plot, "--confusion", "--epochs", "7");

        options.Schedule.Should().Be(new ScheduleOption(ScheduleKind.Step, 2, 0.5));
        options.WeightDecay.Should().Be(0.0005f);
        options.Patience.Should().Be(3);
        options.PlotPath.Should().Be(plot);
        options.Confusion.Should().BeTrue();

        TrainerOptions configured = AfterTraining.Configure(new TrainerOptions(), options);
        configured.Schedule.Should().Be(LearningRateSchedule.Step(2, 0.5));
        configured.Optimizer.Should().Be(new Sgd(0.9f, 0.0005f));
        configured.EarlyStopping.Should().Be(new EarlyStopping(3));
    }

    [TestCase("constant", "constant")]
    [TestCase("CONSTANT", "constant")]
    [TestCase("step:3:0.1", "step:3:0.1")]
    [TestCase("cosine", "cosine")]
    [TestCase("cosine:0", "cosine")]
    [TestCase("cosine:0.001", "cosine:0.001")]
    public void Schedules_parse_and_print_back(string text, string canonical) =>
        ScheduleOption.Parse(text).ToString().Should().Be(canonical);

    [Test]
    public void The_cosine_schedule_anneals_over_the_runs_epochs()
    {
        Options options = Parse("--schedule", "cosine:0.001", "--epochs", "12");
        AfterTraining.Configure(new TrainerOptions(), options).Schedule.Should().Be(LearningRateSchedule.Cosine(12, 0.001));
    }

    [TestCase(new[] { "--schedule", "linear" }, "--schedule must be constant, step:EVERY:GAMMA or cosine[:MIN] (got linear)")]
    [TestCase(new[] { "--schedule", "step:2" }, "--schedule must be constant, step:EVERY:GAMMA or cosine[:MIN] (got step:2)")]
    [TestCase(new[] { "--schedule", "constant:1" }, "--schedule must be constant, step:EVERY:GAMMA or cosine[:MIN] (got constant:1)")]
    [TestCase(new[] { "--schedule", "step:0:0.5" }, "--schedule step needs EVERY, a whole number of epochs of at least 1 (got step:0:0.5)")]
    [TestCase(new[] { "--schedule", "step:2:-1" }, "--schedule step needs GAMMA, a number above 0 and at most 1 (got step:2:-1)")]
    [TestCase(new[] { "--schedule", "step:2:NaN" }, "--schedule step needs GAMMA, a number above 0 and at most 1 (got step:2:NaN)")]
    [TestCase(new[] { "--schedule", "step:2:1.5" }, "--schedule step needs GAMMA, a number above 0 and at most 1 (got step:2:1.5)")]
    [TestCase(new[] { "--schedule", "cosine:x" }, "--schedule cosine needs MIN, a non-negative number (got cosine:x)")]
    [TestCase(new[] { "--schedule", "cosine:0.1", "--lr", "0.05" }, "--schedule cosine minimum must not exceed --lr 0.05 (got cosine:0.1)")]
    [TestCase(new[] { "--weight-decay", "-0.1" }, "--weight-decay must be at least 0 (got -0.1)")]
    [TestCase(new[] { "--weight-decay", "abc" }, "--weight-decay expects a finite number (got abc)")]
    [TestCase(new[] { "--patience", "0" }, "--patience must be at least 1 (got 0)")]
    [TestCase(new[] { "--confusion=yes" }, "--confusion takes no value (got yes)")]
    public void Bad_values_are_named(string[] args, string message) =>
        FluentActions.Invoking(() => Parse(args)).Should().Throw<OptionException>().WithMessage(message);

    [Test]
    public void A_plot_in_a_missing_folder_or_on_a_folder_is_refused_before_training()
    {
        string missing = Path.Combine(Path.GetTempPath(), "cnntrain-no-such-folder-" + Guid.NewGuid().ToString("N"), "chart.png");
        FluentActions.Invoking(() => new Options { PlotPath = missing }.Validate())
            .Should().Throw<OptionException>().WithMessage("--plot folder * does not exist (got *)");
        FluentActions.Invoking(() => new Options { PlotPath = Path.GetTempPath() }.Validate())
            .Should().Throw<OptionException>().WithMessage("--plot must name a file, not a folder (got *)");
    }

    [Test]
    public void The_help_lists_the_new_options()
    {
        string help = Run(["--help"]).Output;
        foreach (string option in new[] { "--schedule <S>", "--weight-decay <X>", "--patience <N>", "--plot <FILE>", "--confusion" })
        {
            help.Should().Contain("  " + option + " ");
        }
    }
}
