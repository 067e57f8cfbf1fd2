using System.IO.Compression;

namespace CnnTrain.Data;

/// <summary>
/// Reads the CIFAR-10 binary format: records of 1 label byte and 3,072 pixel bytes (32 × 32 red, then green, then blue,
/// each row-major), one after another with no header, raw or gzip-compressed (by the <c>.gz</c> extension). Every problem
/// is a <see cref="DataFormatException"/> that names the file.
/// </summary>
/// <remarks>
/// As with <see cref="IdxReader"/>, nothing large is allocated on trust: a raw file's length is checked (a positive whole
/// number of records, at most <see cref="IdxReader.MaxPayloadBytes"/>) before its data is read, and gzip data is read as
/// it arrives and refused once it passes that size.
/// </remarks>
public static class Cifar10Reader
{
    /// <summary>The pixel bytes of one record: 3 channels of 32 × 32.</summary>
    public const int ImageBytes = 3 * 32 * 32;

    /// <summary>The bytes of one record: the label, then the pixels.</summary>
    public const int RecordBytes = 1 + ImageBytes;

    /// <summary>One sample's shape: (3, 32, 32).</summary>
    public static TensorShape SampleShape => TensorShape.Image(3, 32, 32);

    /// <summary>Reads a CIFAR-10 binary file, checking each label is below <paramref name="classes"/>.</summary>
    /// <returns>The labels, and the pixels of all images end to end (3,072 bytes each, channels planar).</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="DataFormatException">The file is empty, not a whole number of records, too large, corrupt (gzip), or holds a label out of range.</exception>
    public static (byte[] Labels, byte[] Pixels) Read(string path, int classes = 10)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentOutOfRangeException.ThrowIfLessThan(classes, 2);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(classes, 256);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"CIFAR-10 file not found: {path}", path);
        }

        using FileStream file = File.OpenRead(path);
        byte[] records = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? ReadCompressed(file, path) : ReadRaw(file, path);
        CheckLength(records.LongLength, path);
        int count = records.Length / RecordBytes;
        var labels = new byte[count];
        var pixels = new byte[count * ImageBytes];
        for (int i = 0; i < count; i++)
        {
            labels[i] = records[i * RecordBytes];
            records.AsSpan((i * RecordBytes) + 1, ImageBytes).CopyTo(pixels.AsSpan(i * ImageBytes));
        }

        CheckLabels(labels, 0, classes, path);
        return (labels, pixels);
    }

    /// <summary>Throws unless <paramref name="length"/> bytes are a positive whole number of records, within the size limit.</summary>
    internal static void CheckLength(long length, string path)
    {
        if (length == 0)
        {
            throw new DataFormatException(path, "is empty; a CIFAR-10 file holds at least one 3,073-byte record.");
        }

        if (length > IdxReader.MaxPayloadBytes)
        {
            throw new DataFormatException(path, $"holds {length} bytes, more than the {IdxReader.MaxPayloadBytes} one read can hold; split it.");
        }

        if (length % RecordBytes != 0)
        {
            throw new DataFormatException(
                path, $"holds {length} bytes, not a whole number of {RecordBytes}-byte records ({length / RecordBytes} records and {length % RecordBytes} bytes over): the file is truncated or not CIFAR-10.");
        }
    }

    /// <summary>Throws naming the first label at or above <paramref name="classes"/>; <paramref name="first"/> numbers the first record.</summary>
    internal static void CheckLabels(ReadOnlySpan<byte> labels, long first, int classes, string path)
    {
        for (int i = 0; i < labels.Length; i++)
        {
            if (labels[i] >= classes)
            {
                throw new DataFormatException(path, $"record {first + i} has label {labels[i]}, outside [0, {classes}).");
            }
        }
    }

    private static byte[] ReadRaw(FileStream file, string path)
    {
        CheckLength(file.Length, path);
        var data = new byte[file.Length];
        int read = file.ReadAtLeast(data, data.Length, throwOnEndOfStream: false);
        if (read < data.Length)
        {
            throw new DataFormatException(path, $"ended after {read} of its {data.Length} bytes while being read.");
        }

        return data;
    }

    private static byte[] ReadCompressed(FileStream file, string path)
    {
        using var gzip = new GZipStream(file, CompressionMode.Decompress, leaveOpen: true);
        try
        {
            if (!ChunkedRead.TryReadToEnd(gzip, (int)IdxReader.MaxPayloadBytes, out byte[]? data, out _))
            {
                throw new DataFormatException(path, $"decompresses to more than the {IdxReader.MaxPayloadBytes} bytes one read can hold; split it.");
            }

            return data;
        }
        catch (InvalidDataException e)
        {
            throw new DataFormatException(path, $"the gzip data is corrupt ({e.Message})", e);
        }
    }
}
