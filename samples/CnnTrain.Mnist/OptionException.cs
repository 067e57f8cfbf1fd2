namespace CnnTrain.Mnist;

/// <summary>A command line that cannot be run as given: each of <see cref="Problems"/> is one line shown to the user.</summary>
internal sealed class OptionException : Exception
{
    public OptionException()
        : this("the command line is not valid")
    {
    }

    public OptionException(string message)
        : base(message)
    {
        Problems = [message];
    }

    public OptionException(string message, Exception innerException)
        : base(message, innerException)
    {
        Problems = [message];
    }

    /// <summary>A command line with several problems, reported together.</summary>
    public OptionException(IReadOnlyList<string> problems)
        : base(string.Join(Environment.NewLine, problems))
    {
        Problems = problems;
    }

    /// <summary>The problems, one line each.</summary>
    public IReadOnlyList<string> Problems { get; }
}
