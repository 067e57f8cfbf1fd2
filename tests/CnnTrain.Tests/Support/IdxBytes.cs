using System.Buffers.Binary;
using System.IO.Compression;

namespace CnnTrain.Tests.Support;

/// <summary>Builds IDX file contents, raw and gzip-compressed, for the reader's tests.</summary>
public static class IdxBytes
{
    public const byte UnsignedByte = 0x08;

    public static byte[] Idx(byte type, int[] dims, byte[] payload)
    {
        var bytes = new byte[HeaderLength(dims.Length) + payload.Length];
        bytes[2] = type;
        bytes[3] = (byte)dims.Length;
        for (int i = 0; i < dims.Length; i++)
        {
            BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4 + (4 * i)), dims[i]);
        }

        payload.CopyTo(bytes, HeaderLength(dims.Length));
        return bytes;
    }

    public static byte[] Idx(int[] dims, byte[] payload) => Idx(UnsignedByte, dims, payload);

    /// <summary>The header alone: the magic number and the dimensions, no data.</summary>
    public static byte[] Header(int[] dims) => Idx(UnsignedByte, dims, []);

    public static int HeaderLength(int rank) => 4 + (4 * rank);

    public static byte[] Gzip(ReadOnlySpan<byte> content, CompressionLevel level = CompressionLevel.Optimal)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, level))
        {
            gzip.Write(content);
        }

        return output.ToArray();
    }
}
