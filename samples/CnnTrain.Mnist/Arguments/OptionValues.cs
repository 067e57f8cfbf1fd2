using System.Globalization;

namespace CnnTrain.Mnist.Arguments;

/// <summary>
/// Reads one option's text into its value, in the invariant culture, or throws an <see cref="OptionException"/>
/// that names the option and the text.
/// </summary>
internal static class OptionValues
{
    public static string Text(string option, string value) => value;

    public static int Integer(string option, string value)
    {
        if (!int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int result))
        {
            throw new OptionException(long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _)
                ? $"{option} is out of range (got {value})"
                : $"{option} expects a whole number (got {value})");
        }

        return result;
    }

    public static float Number(string option, string value)
    {
        // Names like "NaN" or "Infinity" parse as floats but are no use as hyperparameters.
        if (!float.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out float result) || !float.IsFinite(result))
        {
            throw new OptionException($"{option} expects a finite number (got {value})");
        }

        return result;
    }

    /// <summary>A parser for one of <paramref name="choices"/>, named case-insensitively.</summary>
    public static Func<string, string, T> Choice<T>(params (string Name, T Value)[] choices) => (option, value) =>
    {
        foreach ((string name, T choice) in choices)
        {
            if (string.Equals(name, value, StringComparison.OrdinalIgnoreCase))
            {
                return choice;
            }
        }

        throw new OptionException($"{option} must be {Names(choices)} (got {value})");
    };

    public static string Names<T>((string Name, T Value)[] choices) =>
        string.Join(", ", choices[..^1].Select(c => c.Name)) + " or " + choices[^1].Name;
}
