namespace CnnTrain.Mnist;

/// <summary>A command line that cannot be run as given; the message is the one line shown to the user.</summary>
internal sealed class OptionException : Exception
{
    public OptionException()
        : this("the command line is not valid")
    {
    }

    public OptionException(string message)
        : base(message)
    {
    }

    public OptionException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
