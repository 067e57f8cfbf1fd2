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
    /// <exception cref="InvalidOperationException">A parameter is NaN or infinite (training diverged): loading would refuse the file, so none is written.</exception>
    public void Save(string path) => ModelFile.Save(path, FileKind.Model, w => NetworkCodec.Write(w, this));

    /// <summary>Writes the model format to <paramref name="stream"/>.</summary>
    /// <exception cref="InvalidOperationException">A parameter is NaN or infinite (training diverged): nothing is written.</exception>
    public void Save(Stream stream) => ModelFile.Save(stream, FileKind.Model, w => NetworkCodec.Write(w, this));

    /// <summary>Loads a network saved by <see cref="Save(string)"/>, checking everything before it is used.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="ModelFormatException">The file is not a valid model: wrong magic, version or kind, bad checksum, truncated or inconsistent.</exception>
    public static Network Load(string path) => ModelFile.Load(path, FileKind.Model, NetworkCodec.Read);

    /// <summary>Loads a network from the model format in <paramref name="stream"/>.</summary>
    /// <exception cref="ModelFormatException">The content is not a valid model.</exception>
    public static Network Load(Stream stream) => ModelFile.Load(stream, FileKind.Model, NetworkCodec.Read);
}
