namespace CnnTrain.Persistence;

/// <summary>
/// A model or checkpoint file cannot be read: wrong magic number, unsupported version, wrong kind, bad
/// checksum, truncated or inconsistent content. The message names the file and the problem.
/// </summary>
public sealed class ModelFormatException : FormatException
{
    /// <summary>Creates the exception for <paramref name="path"/>.</summary>
    public ModelFormatException(string path, string problem)
        : base($"{path}: {problem}") => Path = path;

    /// <summary>Creates the exception with a generic message.</summary>
    public ModelFormatException()
        : this("(stream)", "not a valid CnnTrain file")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public ModelFormatException(string message)
        : this("(stream)", message)
    {
    }

    /// <summary>Creates the exception with an inner exception.</summary>
    public ModelFormatException(string message, Exception innerException)
        : base(message, innerException) => Path = "(stream)";

    /// <summary>The file (or "(stream)") that failed to load.</summary>
    public string Path { get; }
}
