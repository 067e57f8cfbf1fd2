using CnnTrain.Mnist;
using CnnTrain.Training;
using FluentAssertions;
using NUnit.Framework;
using Spectre.Console;

namespace CnnTrain.Tests.Sample;

public class ProgressBarTests
{
    [Test]
    public void On_a_terminal_the_bar_shows_the_epochs_steps_and_hands_back_the_work()
    {
        using var screen = new StringWriter();
        var bar = new ProgressBar(Terminal(screen), TextWriter.Null, totalEpochs: 3);

        int result = bar.Run(2, 8, progress =>
        {
            progress.Should().NotBeNull();
            progress!.Report(new TrainingProgress(2, 3, 5, 8));
            return 42;
        });

        result.Should().Be(42);
        screen.ToString().Should().Contain("epoch 2/3").And.Contain("step 5/8").And.Contain("\u001b[", "a terminal gets the live redraws");
    }

    [Test]
    public void A_cancellation_in_the_epoch_comes_out_of_the_bar_as_it_was()
    {
        var bar = new ProgressBar(Terminal(new StringWriter()), TextWriter.Null, totalEpochs: 1);
        var cancelled = new OperationCanceledException("stop");

        FluentActions.Invoking(() => bar.Run<int>(1, 4, _ => throw cancelled)).Should().Throw<OperationCanceledException>().Which.Should().BeSameAs(cancelled);
    }

    [Test]
    public void Without_a_terminal_nothing_is_drawn_and_notices_are_plain_lines()
    {
        using var errors = new StringWriter();
        var bar = new ProgressBar(null, errors, totalEpochs: 2);

        bar.Run(1, 4, progress => progress).Should().BeNull("the trainer then reports to no one");
        bar.Notice("cancelling");

        errors.ToString().Should().Be("cancelling" + Environment.NewLine);
    }

    private static IAnsiConsole Terminal(TextWriter screen) => AnsiConsole.Create(new AnsiConsoleSettings
    {
        Out = new AnsiConsoleOutput(screen), Ansi = AnsiSupport.Yes, ColorSystem = ColorSystemSupport.Standard, Interactive = InteractionSupport.Yes,
    });
}
