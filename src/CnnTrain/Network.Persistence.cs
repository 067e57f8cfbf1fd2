using CnnTrain.Persistence;

namespace CnnTrain;

public sealed partial class Network
{
    /// <summary>
    /// Saves the architecture and the parameters to <paramref name="path"/> in the CnnTrain model format
    /// (docs/file-format.md). The file is replaced atomically: a failure leaves any existing file untouched.
    /// </summary>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="IOException">The file cannot be written.</exception>
    /// <exception cref="InvalidOperationException">A parameter is not finite: a diverged network is never saved over a good file.</exception>
    public void Save(string path)
    {
        RequireFiniteParameters();
        ModelFile.Save(path, FileKind.Model, w => NetworkCodec.Write(w, this));
    }

    /// <summary>Writes the model format to <paramref name="stream"/>.</summary>
    /// <exception cref="InvalidOperationException">A parameter is not finite.</exception>
    public void Save(Stream stream)
    {
        RequireFiniteParameters();
        ModelFile.Save(stream, FileKind.Model, w => NetworkCodec.Write(w, this));
    }

    /// <summary>Throws <see cref="InvalidOperationException"/> naming the first parameter value that is NaN or infinite.</summary>
    internal void RequireFiniteParameters()
    {
        foreach (Parameter p in _parameters)
        {
            int at = Array.FindIndex(p.Values, v => !float.IsFinite(v));
            if (at >= 0)
            {
                throw new InvalidOperationException($"{p.Name}[{at}] is {p.Values[at]}; a network whose parameters are not finite is not saved.");
            }
        }
    }

    /// <summary>Loads a network saved by <see cref="Save(string)"/>, checking everything before it is used.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="ModelFormatException">The file is not a valid model: wrong magic, version or kind, bad checksum, truncated or inconsistent.</exception>
    public static Network Load(string path) => ModelFile.Load(path, FileKind.Model, NetworkCodec.Read);

    /// <summary>Loads a network from the model format in <paramref name="stream"/>.</summary>
    /// <exception cref="ModelFormatException">The content is not a valid model.</exception>
    public static Network Load(Stream stream) => ModelFile.Load(stream, FileKind.Model, NetworkCodec.Read);
}
