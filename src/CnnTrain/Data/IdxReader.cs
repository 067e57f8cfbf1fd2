using System.Buffers.Binary;
using System.IO.Compression;

namespace CnnTrain.Data;

/// <summary>
/// Reads IDX files (the MNIST format: a magic number <c>00 00 08 n</c>, n big-endian int32 dimensions, then
/// unsigned bytes), raw or gzip-compressed (by the <c>.gz</c> extension; several gzip members one after
/// another, as <c>cat a.gz b.gz</c> makes, are read as one). Every problem is reported as an
/// <see cref="IdxFormatException"/> that names the file.
/// </summary>
/// <remarks>
/// Nothing is allocated on the word of a header alone. A raw file's length is checked against its dimensions
/// before the data is read; gzip data is decompressed as a stream, never past the size the dimensions declare,
/// and stored as it arrives, so a file that promises gigabytes and holds a few bytes fails having allocated
/// little. The gzip size trailer is not trusted (it is the last member's size modulo 2^32). .NET's
/// <see cref="GZipStream"/> checks each member's CRC-32 and length, but ignores bytes after the last member and
/// does not report a file cut off after all of its data but before its trailer, unless the application turns on
/// the <c>System.IO.Compression.UseStrictValidation</c> switch.
/// </remarks>
public static class IdxReader
{
    private const byte UnsignedByteType = 0x08;

    /// <summary>
    /// The most data bytes a header may declare: <see cref="Array.MaxLength"/> (2,147,483,591, just under 2 GiB),
    /// the longest byte array .NET allocates. A file of exactly this size reads; a larger header is refused.
    /// </summary>
    public static long MaxPayloadBytes => Array.MaxLength;

    /// <summary>Reads an image file of shape (count, rows, columns).</summary>
    /// <returns>The count, the image extent, and the pixels of all images end to end.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="IdxFormatException">The content is not a valid rank-3 IDX file.</exception>
    public static (int Count, int Rows, int Columns, byte[] Pixels) ReadImages(string path)
    {
        (int[] dims, byte[] data) = Read(path, expectedRank: 3);
        return (dims[0], dims[1], dims[2], data);
    }

    /// <summary>Reads a label file of shape (count), checking each label is below <paramref name="classes"/>.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="IdxFormatException">The content is not a valid rank-1 IDX file, or a label is out of range.</exception>
    public static byte[] ReadLabels(string path, int classes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(classes, 2);
        (_, byte[] labels) = Read(path, expectedRank: 1);
        for (int i = 0; i < labels.Length; i++)
        {
            if (labels[i] >= classes)
            {
                throw new IdxFormatException(path, $"label {labels[i]} at index {i} is outside [0, {classes}).");
            }
        }

        return labels;
    }

    /// <summary>Reads any unsigned-byte IDX file of the given rank.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="IdxFormatException">The content is not a valid IDX file of that rank.</exception>
    public static (int[] Dimensions, byte[] Data) Read(string path, int expectedRank)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentOutOfRangeException.ThrowIfLessThan(expectedRank, 1);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"IDX file not found: {path}", path);
        }

        using FileStream file = File.OpenRead(path);
        return Read(file, path, path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase), expectedRank);
    }

    /// <summary>
    /// Reads IDX content from <paramref name="source"/> (left open), naming it <paramref name="name"/> in errors.
    /// A raw source that can seek has its length checked before the data is allocated; any other source is
    /// read as its data arrives.
    /// </summary>
    internal static (int[] Dimensions, byte[] Data) Read(Stream source, string name, bool compressed, int expectedRank)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentOutOfRangeException.ThrowIfLessThan(expectedRank, 1);
        if (!compressed)
        {
            return ReadContent(source, name, expectedRank);
        }

        using var gzip = new GZipStream(source, CompressionMode.Decompress, leaveOpen: true);
        try
        {
            return ReadContent(gzip, name, expectedRank);
        }
        catch (InvalidDataException e)
        {
            throw new IdxFormatException(name, $"the gzip data is corrupt ({e.Message})", e);
        }
    }

    private static (int[] Dimensions, byte[] Data) ReadContent(Stream stream, string name, int expectedRank)
    {
        int[] dims = ReadHeader(stream, name, expectedRank);
        int payload = (int)dims.Aggregate(1L, (product, d) => product * d);
        string shape = string.Join(", ", dims);
        long? remaining = stream.CanSeek ? stream.Length - stream.Position : null;
        if (remaining is long available)
        {
            CheckDataLength(name, dims, available);
        }

        byte[] data;
        if (remaining is null)
        {
            if (!ChunkedRead.TryRead(stream, payload, out byte[]? arrived, out long read))
            {
                throw Truncated(name, shape, payload, read);
            }

            data = arrived;
        }
        else
        {
            // The length is known to hold the data, so it can go straight into its array.
            data = new byte[payload];
            int read = stream.ReadAtLeast(data, payload, throwOnEndOfStream: false);
            if (read < payload)
            {
                throw Truncated(name, shape, payload, read);
            }
        }

        if (stream.ReadByte() != -1)
        {
            throw new IdxFormatException(name, $"has extra bytes: the dimensions ({shape}) describe {payload} bytes of data, more follow.");
        }

        return (dims, data);
    }

    /// <summary>Throws unless <paramref name="available"/> bytes after the header are exactly the data <paramref name="dims"/> describe.</summary>
    internal static void CheckDataLength(string name, int[] dims, long available)
    {
        int payload = (int)dims.Aggregate(1L, (product, d) => product * d);
        string shape = string.Join(", ", dims);
        if (available != payload)
        {
            throw available < payload
                ? Truncated(name, shape, payload, available)
                : new IdxFormatException(name, $"has extra bytes: the dimensions ({shape}) describe {payload} bytes of data, the file holds {available}.");
        }
    }

    /// <summary>Reads and checks the magic number and dimensions, leaving <paramref name="stream"/> at the data.</summary>
    internal static int[] ReadHeader(Stream stream, string name, int expectedRank)
    {
        Span<byte> magic = stackalloc byte[4];
        ReadExactly(stream, magic, name, "the magic number");
        if (magic[0] != 0 || magic[1] != 0)
        {
            throw new IdxFormatException(name, $"bad magic number {Convert.ToHexString(magic)}: an IDX file starts with 0000.");
        }

        if (magic[2] != UnsignedByteType)
        {
            throw new IdxFormatException(name, $"data type 0x{magic[2]:X2} is not supported; only unsigned bytes (0x08) are.");
        }

        if (magic[3] != expectedRank)
        {
            throw new IdxFormatException(name, $"has {magic[3]} dimensions; {expectedRank} were expected.");
        }

        var dims = new int[expectedRank];
        Span<byte> word = stackalloc byte[4];
        long payload = 1;
        for (int i = 0; i < expectedRank; i++)
        {
            ReadExactly(stream, word, name, $"dimension {i}");
            dims[i] = BinaryPrimitives.ReadInt32BigEndian(word);
            if (dims[i] <= 0)
            {
                throw new IdxFormatException(name, $"dimension {i} is {dims[i]}; dimensions must be positive.");
            }

            payload *= dims[i];
            if (payload > MaxPayloadBytes)
            {
                throw new IdxFormatException(name, $"dimensions ({string.Join(", ", dims[..(i + 1)])}) promise more than {MaxPayloadBytes} bytes.");
            }
        }

        return dims;
    }

    private static IdxFormatException Truncated(string name, string shape, int payload, long read) =>
        new(name, $"truncated: the dimensions ({shape}) promise {payload} bytes, the data ends after {read}.");

    private static void ReadExactly(Stream stream, Span<byte> buffer, string name, string what)
    {
        int read = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        if (read < buffer.Length)
        {
            throw new IdxFormatException(name, $"ends after {read} of the {buffer.Length} bytes of {what}: the file is truncated.");
        }
    }
}
