namespace CnnTrain.Mnist;

/// <summary>Where the app writes, and whether stderr is a terminal the progress bar may redraw.</summary>
internal sealed record AppConsole(TextWriter Out, TextWriter Error, bool ErrorIsTerminal)
{
    public static AppConsole System => new(Console.Out, Console.Error, !Console.IsErrorRedirected);
}
