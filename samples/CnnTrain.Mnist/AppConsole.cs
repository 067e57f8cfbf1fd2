namespace CnnTrain.Mnist;

/// <summary>
/// Where the app writes, and whether each stream is a terminal: only there may the progress bar redraw and the
/// tables use colour; redirected, everything is plain lines.
/// </summary>
internal sealed record AppConsole(TextWriter Out, TextWriter Error, bool ErrorIsTerminal, bool OutIsTerminal = false)
{
    public static AppConsole System => new(Console.Out, Console.Error, !Console.IsErrorRedirected, !Console.IsOutputRedirected);
}
