using System.CommandLine;

namespace CnnTrain.Mnist.Arguments;

/// <summary>
/// The two kinds of option the app has, on System.CommandLine: an option with one value and a flag. Both take
/// <c>--name value</c> or <c>--name=value</c> and refuse a missing, repeated or unparsable value with a message
/// naming the option and the value.
/// </summary>
internal static class OptionKinds
{
    public static Option<T> Valued<T>(string name, string helpName, string description, Func<string, string, T> parse)
    {
        // Zero-or-one rather than exactly-one, so that a missing value reaches the validator below and gets our message.
        var option = new Option<T>(name) { HelpName = helpName, Description = description, Arity = ArgumentArity.ZeroOrOne };
        option.CustomParser = result =>
        {
            if (result.Tokens.Count == 0)
            {
                return default; // the validator reports the missing value
            }

            try
            {
                return parse(name, result.Tokens[0].Value);
            }
            catch (OptionException e)
            {
                result.AddError(e.Message);
                return default;
            }
        };
        option.Validators.Add(result =>
        {
            // A following "--word" is taken as a forgotten value, not as the value, even where it names no option.
            if (result.Tokens.Count == 0 || result.Tokens[0].Value.Length == 0 || result.Tokens[0].Value.StartsWith("--", StringComparison.Ordinal))
            {
                result.AddError($"{name} needs a value");
            }
        });
        return option;
    }

    public static Option<bool> Flag(string name, string description)
    {
        // System.CommandLine lets a flag take "true" or "false"; the app's flags take nothing.
        var option = new Option<bool>(name) { Description = description, Arity = ArgumentArity.ZeroOrOne };
        option.CustomParser = result =>
        {
            if (result.Tokens.Count > 0)
            {
                result.AddError($"{name} takes no value (got {result.Tokens[0].Value})");
            }

            return true;
        };
        return option;
    }

    /// <summary>Whether the command line names <paramref name="option"/>, as opposed to leaving it at its default.</summary>
    public static bool IsGiven(this ParseResult result, Option option) => result.GetResult(option) is { Implicit: false };
}
