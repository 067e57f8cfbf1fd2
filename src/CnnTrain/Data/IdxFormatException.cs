namespace CnnTrain.Data;

/// <summary>An IDX file is malformed: wrong magic number, dimensions, size, or label values.</summary>
public sealed class IdxFormatException : DataFormatException
{
    /// <summary>Creates the exception for <paramref name="path"/>.</summary>
    public IdxFormatException(string path, string problem)
        : base(path, problem)
    {
    }

    /// <summary>Creates the exception for <paramref name="path"/>, caused by <paramref name="innerException"/>.</summary>
    public IdxFormatException(string path, string problem, Exception innerException)
        : base(path, problem, innerException)
    {
    }

    /// <summary>Creates the exception with a message only.</summary>
    public IdxFormatException()
        : this("(unknown file)", "malformed IDX data")
    {
    }

    /// <summary>Creates the exception with a message only.</summary>
    public IdxFormatException(string message)
        : this("(unknown file)", message)
    {
    }

    /// <summary>Creates the exception with an inner exception.</summary>
    public IdxFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
