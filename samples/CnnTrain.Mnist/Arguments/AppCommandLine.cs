using System.CommandLine;
using CnnTrain.Mnist.Prediction;

namespace CnnTrain.Mnist.Arguments;

/// <summary>The app's command line: training options on the root command, <c>predict</c> as a subcommand.</summary>
internal static class AppCommandLine
{
    // No "@file" response files: the app has never read its arguments from files, and a path may start with '@'.
    private static readonly ParserConfiguration Configuration = new() { ResponseFileTokenReplacer = null };

    /// <summary>Parses <paramref name="args"/> and runs what they ask for: help, <paramref name="train"/> or predict.</summary>
    /// <returns>The exit code of what ran.</returns>
    /// <exception cref="OptionException">The command line is not valid; one problem per line of <see cref="OptionException.Problems"/>.</exception>
    public static int Run(IReadOnlyList<string> args, AppConsole console, Func<Options, int> train)
    {
        ArgumentNullException.ThrowIfNull(console);
        RootCommand root = new TrainCommand().Create(train);
        root.Subcommands.Add(PredictCommand.Create(console));
        HelpWithExitCodes.Install(root, console.OutIsTerminal ? Math.Max(Console.WindowWidth, 60) : HelpWithExitCodes.RedirectedWidth);
        ParseResult result = root.Parse(args, Configuration);
        if (result.Action is not HelpWithExitCodes && CommandLineErrors.Of(result, args) is { Count: > 0 } problems)
        {
            throw new OptionException(problems);
        }

        // Exceptions reach the app's own handler, which maps them to exit codes; Ctrl+C is the app's to handle too.
        return result.Invoke(new InvocationConfiguration
        {
            Output = console.Out,
            Error = console.Error,
            EnableDefaultExceptionHandler = false,
            ProcessTerminationTimeout = null,
        });
    }
}
