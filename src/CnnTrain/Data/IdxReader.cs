using System.Buffers.Binary;
using System.IO.Compression;

namespace CnnTrain.Data;

/// <summary>
/// Reads IDX files (the MNIST format: a magic number <c>00 00 08 n</c>, n big-endian int32 dimensions, then
/// unsigned bytes), raw or gzip-compressed (by the <c>.gz</c> extension). Sizes are checked against the
/// header before anything is allocated, and every problem is reported as an <see cref="IdxFormatException"/>.
/// </summary>
public static class IdxReader
{
    private const byte UnsignedByteType = 0x08;

    /// <summary>Refuses headers that promise more than this many bytes (2 GiB - 1).</summary>
    public const long MaxPayloadBytes = int.MaxValue;

    /// <summary>Reads an image file of shape (count, rows, columns).</summary>
    /// <returns>The count, the image extent, and the pixels of all images end to end.</returns>
    public static (int Count, int Rows, int Columns, byte[] Pixels) ReadImages(string path)
    {
        (int[] dims, byte[] data) = Read(path, expectedRank: 3);
        return (dims[0], dims[1], dims[2], data);
    }

    /// <summary>Reads a label file of shape (count), checking each label is below <paramref name="classes"/>.</summary>
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

        bool compressed = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase);
        using FileStream file = File.OpenRead(path);
        long? gzipSize = compressed ? GzipDeclaredSize(file, path) : null;
        using Stream stream = compressed ? new GZipStream(file, CompressionMode.Decompress) : file;
        try
        {
            Span<byte> magic = stackalloc byte[4];
            ReadExactly(stream, magic, path, "the magic number");
            if (magic[0] != 0 || magic[1] != 0)
            {
                throw new IdxFormatException(path, $"bad magic number {Convert.ToHexString(magic)}: an IDX file starts with 0000.");
            }

            if (magic[2] != UnsignedByteType)
            {
                throw new IdxFormatException(path, $"data type 0x{magic[2]:X2} is not supported; only unsigned bytes (0x08) are.");
            }

            if (magic[3] != expectedRank)
            {
                throw new IdxFormatException(path, $"has {magic[3]} dimensions; {expectedRank} were expected.");
            }

            var dims = new int[expectedRank];
            Span<byte> word = stackalloc byte[4];
            long payload = 1;
            for (int i = 0; i < expectedRank; i++)
            {
                ReadExactly(stream, word, path, $"dimension {i}");
                dims[i] = BinaryPrimitives.ReadInt32BigEndian(word);
                if (dims[i] <= 0)
                {
                    throw new IdxFormatException(path, $"dimension {i} is {dims[i]}; dimensions must be positive.");
                }

                payload *= dims[i];
                if (payload > MaxPayloadBytes)
                {
                    throw new IdxFormatException(path, $"dimensions ({string.Join(", ", dims[..(i + 1)])}) promise more than {MaxPayloadBytes} bytes.");
                }
            }

            long headerBytes = 4 + (4L * expectedRank);
            long? actual = compressed ? gzipSize : file.Length;
            if (actual is long total && (compressed ? (headerBytes + payload) % (1L << 32) != total : headerBytes + payload != total))
            {
                throw new IdxFormatException(
                    path, $"dimensions ({string.Join(", ", dims)}) need {headerBytes + payload} bytes, but the {(compressed ? "decompressed " : string.Empty)}file has {total}.");
            }

            var data = new byte[payload];
            ReadExactly(stream, data, path, "the data");
            if (stream.ReadByte() != -1)
            {
                throw new IdxFormatException(path, $"has bytes after the {payload} that dimensions ({string.Join(", ", dims)}) describe.");
            }

            return (dims, data);
        }
        catch (InvalidDataException e)
        {
            throw new IdxFormatException($"{path}: the gzip data is corrupt ({e.Message})", e);
        }
    }

    // A gzip member ends with its uncompressed size modulo 2^32: checking it first keeps a lying header
    // from making us allocate before the data proves it.
    private static long GzipDeclaredSize(FileStream file, string path)
    {
        if (file.Length < 18)
        {
            throw new IdxFormatException(path, $"is {file.Length} bytes, too short for a gzip file.");
        }

        Span<byte> trailer = stackalloc byte[4];
        file.Seek(-4, SeekOrigin.End);
        file.ReadExactly(trailer);
        file.Seek(0, SeekOrigin.Begin);
        return BinaryPrimitives.ReadUInt32LittleEndian(trailer);
    }

    private static void ReadExactly(Stream stream, Span<byte> buffer, string path, string what)
    {
        int read = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        if (read < buffer.Length)
        {
            throw new IdxFormatException(path, $"ends after {read} of the {buffer.Length} bytes of {what}: the file is truncated.");
        }
    }
}
