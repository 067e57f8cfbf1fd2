using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using CnnTrain.Mnist.Charts;

namespace CnnTrain.Tests.Support;

/// <summary>
/// Reads back the PNGs the sample writes (8-bit RGB, no interlace): checks the signature, every chunk's CRC and
/// the chunk order, inflates the IDAT data and undoes the per-line filters (only "none" is expected).
/// </summary>
public static class PngReader
{
    public static (int Width, int Height, byte[] Rgb, IReadOnlyList<string> Chunks) Read(byte[] png)
    {
        ReadOnlySpan<byte> signature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];
        if (!png.AsSpan(0, 8).SequenceEqual(signature))
        {
            throw new InvalidDataException("Not a PNG signature.");
        }

        var chunks = new List<string>();
        using var idat = new MemoryStream();
        int width = 0, height = 0;
        for (int at = 8; at < png.Length;)
        {
            int length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(at));
            string type = Encoding.ASCII.GetString(png, at + 4, 4);
            ReadOnlySpan<byte> typeAndData = png.AsSpan(at + 4, 4 + length);
            uint crc = BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(at + 8 + length));
            if (Crc32.Compute(typeAndData) != crc)
            {
                throw new InvalidDataException($"Chunk {type} has a bad CRC.");
            }

            ReadOnlySpan<byte> data = typeAndData[4..];
            if (type == "IHDR")
            {
                width = BinaryPrimitives.ReadInt32BigEndian(data);
                height = BinaryPrimitives.ReadInt32BigEndian(data[4..]);
                if (data[8] != 8 || data[9] != 2 || data[12] != 0)
                {
                    throw new InvalidDataException("Only 8-bit RGB without interlace is read here.");
                }
            }
            else if (type == "IDAT")
            {
                idat.Write(data);
            }

            chunks.Add(type);
            at += 12 + length;
        }

        idat.Position = 0;
        using var zlib = new ZLibStream(idat, CompressionMode.Decompress);
        using var raw = new MemoryStream();
        zlib.CopyTo(raw);
        byte[] scanlines = raw.ToArray();
        int stride = (width * 3) + 1;
        if (scanlines.Length != stride * height)
        {
            throw new InvalidDataException($"{scanlines.Length} bytes of scanlines for {width}x{height}.");
        }

        var rgb = new byte[width * height * 3];
        for (int y = 0; y < height; y++)
        {
            if (scanlines[y * stride] != 0)
            {
                throw new InvalidDataException($"Line {y} uses filter {scanlines[y * stride]}.");
            }

            scanlines.AsSpan((y * stride) + 1, width * 3).CopyTo(rgb.AsSpan(y * width * 3));
        }

        return (width, height, rgb, chunks);
    }
}
