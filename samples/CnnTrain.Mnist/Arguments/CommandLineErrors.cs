using System.CommandLine;
using System.CommandLine.Parsing;

namespace CnnTrain.Mnist.Arguments;

/// <summary>
/// Every problem of a parse as one line each, worded as the app words them: the unknown option or stray argument
/// by name, a repeated option as repeated, a value given to a flag with the flag's name.
/// </summary>
internal static class CommandLineErrors
{
    public static IReadOnlyList<string> Of(ParseResult result, IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(result);
        Command command = result.CommandResult.Command;
        string help = command is RootCommand ? "--help" : $"{command.Name} --help";
        var messages = new List<string>();
        if (result.Tokens.Any(t => t.Type == TokenType.DoubleDash))
        {
            messages.Add($"unexpected argument -- (options start with --; see {help})");
        }

        foreach (string token in result.UnmatchedTokens)
        {
            messages.Add(Unmatched(token, command, args, help));
        }

        // System.CommandLine reports each unmatched token too, in its own words; the lines above say it in the app's.
        messages.AddRange(result.Errors.Where(e => !IsAboutUnmatched(e, result.UnmatchedTokens)).Select(Worded));
        return [.. messages.Distinct(StringComparer.Ordinal)];
    }

    private static string Unmatched(string token, Command command, IReadOnlyList<string> args, string help)
    {
        // System.CommandLine splits "--quiet=yes" and leaves "yes" over: put the flag's name back.
        if (command.Options.FirstOrDefault(o => o.ValueType == typeof(bool) && args.Contains($"{o.Name}={token}")) is Option flag)
        {
            return $"{flag.Name} takes no value (got {token})";
        }

        if (token.StartsWith('-') && token.Length > 1)
        {
            string name = token.Split('=')[0];
            return command is RootCommand ? $"unknown option {name} (see {help})" : $"unknown {command.Name} option {name} (see {help})";
        }

        return $"unexpected argument {token} (options start with --; see {help})";
    }

    private static bool IsAboutUnmatched(ParseError error, IReadOnlyList<string> unmatched) =>
        error.SymbolResult is CommandResult && unmatched.Any(t => error.Message.Contains($"'{t}'", StringComparison.Ordinal));

    private static string Worded(ParseError error) =>
        (error.SymbolResult as OptionResult ?? error.SymbolResult?.Parent as OptionResult) is { IdentifierTokenCount: > 1 } repeated
            ? $"{repeated.Option.Name} is given more than once"
            : error.Message;
}
