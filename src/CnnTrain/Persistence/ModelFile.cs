namespace CnnTrain.Persistence;

/// <summary>Reading a whole file, and writing one atomically, for the codecs.</summary>
internal static class ModelFile
{
    public static void Save(string path, FileKind kind, Action<PayloadWriter> write)
    {
        var writer = new PayloadWriter();
        write(writer);
        AtomicFile.Write(path, Envelope.Seal(kind, writer.ToArray()));
    }

    public static void Save(Stream stream, FileKind kind, Action<PayloadWriter> write)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var writer = new PayloadWriter();
        write(writer);
        stream.Write(Envelope.Seal(kind, writer.ToArray()));
    }

    public static T Load<T>(string path, FileKind kind, Func<PayloadReader, T> read)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"File not found: {path}", path);
        }

        return Parse(File.ReadAllBytes(path), kind, path, read);
    }

    public static T Load<T>(Stream stream, FileKind kind, Func<PayloadReader, T> read)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return Parse(buffer.ToArray(), kind, "(stream)", read);
    }

    private static T Parse<T>(byte[] file, FileKind kind, string path, Func<PayloadReader, T> read)
    {
        (ReadOnlyMemory<byte> payload, ushort version) = Envelope.Open(file, kind, path);
        var reader = new PayloadReader(payload, path) { Version = version };
        T result = read(reader);
        if (!reader.AtEnd)
        {
            throw reader.Fail("unexpected bytes after the content");
        }

        return result;
    }
}
