namespace CnnTrain.Data;

/// <summary>
/// A data file or folder cannot be read as the format it should hold (a CIFAR-10 binary file, an image folder, or,
/// as <see cref="IdxFormatException"/>, an IDX file): the message starts with the file's path and says what is wrong.
/// </summary>
public class DataFormatException : FormatException
{
    /// <summary>Creates the exception for <paramref name="path"/>.</summary>
    public DataFormatException(string path, string problem)
        : base($"{path}: {problem}") => Path = path;

    /// <summary>Creates the exception for <paramref name="path"/>, caused by <paramref name="innerException"/>.</summary>
    public DataFormatException(string path, string problem, Exception innerException)
        : base($"{path}: {problem}", innerException) => Path = path;

    /// <summary>Creates the exception with a message only.</summary>
    public DataFormatException()
        : this("(unknown file)", "malformed data")
    {
    }

    /// <summary>Creates the exception with a message only.</summary>
    public DataFormatException(string message)
        : this("(unknown file)", message)
    {
    }

    /// <summary>Creates the exception with an inner exception.</summary>
    public DataFormatException(string message, Exception innerException)
        : base(message, innerException) => Path = "(unknown file)";

    /// <summary>The file or folder that failed to read.</summary>
    public string Path { get; }
}
