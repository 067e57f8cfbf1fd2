namespace CnnTrain.Mnist.Prediction;

/// <summary>A PNG file that cannot be read, or uses a feature the decoder does not support.</summary>
internal sealed class PngFormatException : FormatException
{
    public PngFormatException()
        : this("not a readable PNG file")
    {
    }

    public PngFormatException(string message)
        : base(message)
    {
    }

    public PngFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
