using Spectre.Console;

namespace CnnTrain.Mnist;

/// <summary>Spectre.Console over one of the app's writers, so that tests can capture what it draws.</summary>
internal static class Terminal
{
    // Wide enough that no table is ever wrapped in a file: there is no window to fit.
    private const int RedirectedWidth = 4096;

    /// <summary>
    /// A console over <paramref name="writer"/>: with ANSI styles, colour and live redraws when it is a terminal; plain
    /// text, no escapes and no redraws when it is not.
    /// </summary>
    public static IAnsiConsole Over(TextWriter writer, bool isTerminal)
    {
        ArgumentNullException.ThrowIfNull(writer);
        IAnsiConsole console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            Ansi = isTerminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = isTerminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = isTerminal ? InteractionSupport.Detect : InteractionSupport.No,
        });
        if (!isTerminal)
        {
            console.Profile.Width = RedirectedWidth;
        }

        return console;
    }
}
