using System.Buffers.Binary;
using System.Security.Cryptography;

namespace CnnTrain.Persistence;

/// <summary>
/// The frame around every CnnTrain file: "CNNT", a format version, a kind, the payload length, the payload,
/// and the SHA-256 of everything before it (docs/file-format.md). Opening checks the frame before any
/// payload is parsed.
/// </summary>
internal static class Envelope
{
    /// <summary>
    /// The format version each kind of file is written in: checkpoints changed to 2 with the optimizer types, and to 3
    /// with the validation split, augmentation, best-weights flag and validation history.
    /// </summary>
    public static ushort VersionOf(FileKind kind) => kind == FileKind.Checkpoint ? (ushort)3 : (ushort)1;

    /// <summary>The oldest version of each kind still read: checkpoints from 2 (version 1 had no optimizer types).</summary>
    public static ushort OldestVersionOf(FileKind kind) => kind == FileKind.Checkpoint ? (ushort)2 : (ushort)1;
    private const int HeaderBytes = 16;
    private const int ChecksumBytes = 32;
    private static ReadOnlySpan<byte> Magic => "CNNT"u8;

    public static byte[] Seal(FileKind kind, ReadOnlySpan<byte> payload) => Seal(kind, payload, VersionOf(kind));

    /// <summary>Frames <paramref name="payload"/> as <paramref name="version"/> (tests write older versions with it).</summary>
    public static byte[] Seal(FileKind kind, ReadOnlySpan<byte> payload, ushort version)
    {
        var file = new byte[HeaderBytes + payload.Length + ChecksumBytes];
        Magic.CopyTo(file);
        BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(4), version);
        file[6] = (byte)kind;
        file[7] = 0;
        BinaryPrimitives.WriteInt64LittleEndian(file.AsSpan(8), payload.Length);
        payload.CopyTo(file.AsSpan(HeaderBytes));
        SHA256.HashData(file.AsSpan(0, HeaderBytes + payload.Length), file.AsSpan(HeaderBytes + payload.Length));
        return file;
    }

    /// <summary>Checks the frame of <paramref name="file"/> and returns its payload and format version.</summary>
    /// <exception cref="ModelFormatException">The frame is wrong; the message says how.</exception>
    public static (ReadOnlyMemory<byte> Payload, ushort Version) Open(ReadOnlyMemory<byte> file, FileKind expected, string path)
    {
        ReadOnlySpan<byte> bytes = file.Span;
        if (bytes.Length < 4 || !bytes[..4].SequenceEqual(Magic))
        {
            throw new ModelFormatException(path, "not a CnnTrain file (it does not start with \"CNNT\")");
        }

        if (bytes.Length < HeaderBytes)
        {
            throw new ModelFormatException(path, $"truncated: {bytes.Length} bytes, shorter than the {HeaderBytes}-byte header");
        }

        var kind = (FileKind)bytes[6];
        if (kind != expected)
        {
            throw new ModelFormatException(path, $"holds a {Describe(kind)}, not a {Describe(expected)}");
        }

        ushort version = BinaryPrimitives.ReadUInt16LittleEndian(bytes[4..]);
        ushort supported = VersionOf(kind), oldest = OldestVersionOf(kind);
        if (version < oldest || version > supported)
        {
            string reads = oldest == supported ? $"version {supported}" : $"versions {oldest} to {supported}";
            throw new ModelFormatException(
                path, version > supported
                    ? $"format version {version} is newer than the {Describe(kind)} version {supported} this library reads"
                    : $"format version {version} is an older {Describe(kind)} format; this library reads {reads}");
        }

        if (bytes[7] != 0)
        {
            throw new ModelFormatException(path, $"reserved header byte 7 is {bytes[7]}; this library writes 0 there");
        }

        long payload = BinaryPrimitives.ReadInt64LittleEndian(bytes[8..]);
        long expectedLength = HeaderBytes + payload + ChecksumBytes;
        if (payload < 0 || expectedLength != bytes.Length)
        {
            throw new ModelFormatException(
                path, bytes.Length < expectedLength
                    ? $"truncated: {bytes.Length} of {expectedLength} bytes"
                    : $"{bytes.Length - expectedLength} unexpected bytes after the end");
        }

        Span<byte> checksum = stackalloc byte[ChecksumBytes];
        SHA256.HashData(bytes[..(int)(HeaderBytes + payload)], checksum);
        if (!checksum.SequenceEqual(bytes[(int)(HeaderBytes + payload)..]))
        {
            throw new ModelFormatException(path, "checksum mismatch: the file is damaged");
        }

        return (file.Slice(HeaderBytes, (int)payload), version);
    }

    private static string Describe(FileKind kind) => kind switch
    {
        FileKind.Model => "model",
        FileKind.Checkpoint => "checkpoint",
        _ => $"file of unknown kind {(byte)kind}",
    };
}
