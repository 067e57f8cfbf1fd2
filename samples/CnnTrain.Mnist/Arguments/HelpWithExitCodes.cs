using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;

namespace CnnTrain.Mnist.Arguments;

/// <summary>System.CommandLine's generated help, followed by how values are written and the exit codes, which it has no section for.</summary>
internal sealed class HelpWithExitCodes(HelpAction help) : SynchronousCommandLineAction
{
    public const string Text = """
        Options take their value as --name value or --name=value.

        Exit codes: 0 done, 1 failed, 2 bad command line, 3 training diverged (a loss or parameter that is not
        finite; the model and checkpoint keep the last good epoch), 130 cancelled with Ctrl+C (the report still
        covers the epochs completed).

        """;

    // Help wins over everything else on the line, so that a user fixing a bad command can always get it.
    public override bool ClearsParseErrors => true;

    public override int Invoke(ParseResult parseResult)
    {
        ArgumentNullException.ThrowIfNull(parseResult);
        int code = help.Invoke(parseResult);
        parseResult.InvocationConfiguration.Output.Write(Text);
        return code;
    }

    /// <summary>The width help wraps at in a file or pipe, where there is no window to fit.</summary>
    public const int RedirectedWidth = 110;

    /// <summary>Puts this help, wrapped at <paramref name="width"/> columns, in place of the help option's own action on <paramref name="root"/>.</summary>
    public static void Install(RootCommand root, int width)
    {
        ArgumentNullException.ThrowIfNull(root);
        foreach (HelpOption option in root.Options.OfType<HelpOption>())
        {
            option.Action = new HelpWithExitCodes(new HelpAction { MaxWidth = width });
        }
    }
}
