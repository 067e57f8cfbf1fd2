using CnnTrain.Mnist;
using FluentAssertions;
using NUnit.Framework;
using Spectre.Console;

namespace CnnTrain.Tests.Sample;

public class ConfusionMatrixTests
{
    [Test]
    public void Rows_are_true_labels_and_columns_predictions()
    {
        int[][] matrix = ConfusionMatrix.Count([0, 1, 1, 2, 0, 2], [0, 1, 2, 2, 1, 2], 3);

        matrix.Should().BeEquivalentTo(new[] { new[] { 1, 0, 0 }, new[] { 1, 1, 0 }, new[] { 0, 1, 2 } }, o => o.WithStrictOrdering());
        Plain(matrix).ReplaceLineEndings("\n").Should().Be(
            """
            true\pred 0 1 2
                    0 1 0 0
                    1 1 1 0
                    2 0 1 2

            """.ReplaceLineEndings("\n"));
    }

    [Test]
    public void Columns_widen_for_large_counts()
    {
        int[][] matrix = [[1234, 5], [0, 7]];
        Plain(matrix).Split(Environment.NewLine)[0..3].Should().Equal(
            "true\\pred    0    1",
            "        0 1234    5",
            "        1    0    7");
    }

    [Test]
    public void On_a_terminal_the_labels_are_bold_and_the_counts_plain()
    {
        using var writer = new StringWriter();
        IAnsiConsole console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer), Ansi = AnsiSupport.Yes, ColorSystem = ColorSystemSupport.Standard, Interactive = InteractionSupport.No,
        });
        console.Write(ConfusionMatrix.Table([[3, 0], [1, 2]]));

        string text = writer.ToString();
        text.Should().Contain("\u001b[1mtrue\\pred\u001b[0m");
        System.Text.RegularExpressions.Regex.Replace(text, "\u001b\\[[0-9;]*m", string.Empty).ReplaceLineEndings("\n")
            .Should().Be(Plain([[3, 0], [1, 2]]).ReplaceLineEndings("\n"), "the styles are all that the terminal adds");
    }

    [Test]
    public void Mismatched_or_out_of_range_values_are_refused()
    {
        FluentActions.Invoking(() => ConfusionMatrix.Count([0, 1], [0], 2)).Should().Throw<ArgumentException>().WithMessage("There are 2 predictions for 1 labels.*");
        FluentActions.Invoking(() => ConfusionMatrix.Count([0, 5], [0, 1], 2)).Should().Throw<ArgumentException>().WithMessage("Sample 1 has label 1 and prediction 5*");
    }

    // What a redirected stdout receives.
    private static string Plain(int[][] matrix)
    {
        using var writer = new StringWriter();
        Terminal.Over(writer, isTerminal: false).Write(ConfusionMatrix.Table(matrix));
        return writer.ToString();
    }
}
