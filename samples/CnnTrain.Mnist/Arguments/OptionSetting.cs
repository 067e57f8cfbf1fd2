using System.CommandLine;

namespace CnnTrain.Mnist.Arguments;

/// <summary>An option of the command line and where its value lands in <see cref="Options"/>.</summary>
internal abstract class OptionSetting
{
    public abstract Option Option { get; }

    /// <summary><paramref name="options"/> with the option's value when the command line gives it; as they are otherwise.</summary>
    public abstract Options Apply(Options options, ParseResult result);

    public static OptionSetting<T> Of<T>(Option<T> option, Func<Options, T, Options> set) => new(option, set);
}

/// <inheritdoc />
internal sealed class OptionSetting<T>(Option<T> option, Func<Options, T, Options> set) : OptionSetting
{
    public override Option Option => option;

    public override Options Apply(Options options, ParseResult result) =>
        result.IsGiven(option) ? set(options, result.GetValue(option)!) : options;
}
