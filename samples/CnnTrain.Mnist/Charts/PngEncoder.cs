using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace CnnTrain.Mnist.Charts;

/// <summary>
/// Writes an 8-bit RGB image as a PNG: the signature, IHDR, one IDAT holding the zlib stream of the scanlines
/// (each with filter byte 0, "none"), and IEND, every chunk with its CRC-32. Nothing else is needed to open it.
/// </summary>
internal static class PngEncoder
{
    public static ReadOnlySpan<byte> Signature => [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    public static byte[] Encode(Canvas canvas)
    {
        ArgumentNullException.ThrowIfNull(canvas);
        using var png = new MemoryStream();
        png.Write(Signature);

        Span<byte> header = stackalloc byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, canvas.Width);
        BinaryPrimitives.WriteInt32BigEndian(header[4..], canvas.Height);
        header[8] = 8;   // bits per channel
        header[9] = 2;   // colour type: RGB
        header[10] = 0;  // compression: deflate
        header[11] = 0;  // filtering: adaptive, with per-line filter types
        header[12] = 0;  // no interlace
        WriteChunk(png, "IHDR", header);

        using (var scanlines = new MemoryStream())
        {
            using (var zlib = new ZLibStream(scanlines, CompressionLevel.Optimal, leaveOpen: true))
            {
                int stride = canvas.Width * 3;
                for (int y = 0; y < canvas.Height; y++)
                {
                    zlib.WriteByte(0);
                    zlib.Write(canvas.Pixels.AsSpan(y * stride, stride));
                }
            }

            WriteChunk(png, "IDAT", scanlines.GetBuffer().AsSpan(0, (int)scanlines.Length));
        }

        WriteChunk(png, "IEND", []);
        return png.ToArray();
    }

    private static void WriteChunk(Stream png, string type, ReadOnlySpan<byte> data)
    {
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(word, data.Length);
        png.Write(word);
        byte[] typeBytes = Encoding.ASCII.GetBytes(type);
        png.Write(typeBytes);
        png.Write(data);
        BinaryPrimitives.WriteUInt32BigEndian(word, Crc32.Append(Crc32.Compute(typeBytes), data));
        png.Write(word);
    }
}
