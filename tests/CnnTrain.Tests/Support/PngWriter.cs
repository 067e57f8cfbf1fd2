using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using CnnTrain.Mnist.Charts;

namespace CnnTrain.Tests.Support;

/// <summary>
/// Writes 8-bit PNGs for decoder tests, with each row filtered by a chosen PNG filter (0 none, 1 sub, 2 up,
/// 3 average, 4 Paeth), so that the decoder's every unfilter path meets real data.
/// </summary>
public static class PngWriter
{
    public static byte[] Write(int width, int height, int colourType, byte[] pixels, Func<int, int> filterOfRow)
    {
        int channels = colourType switch { 0 => 1, 4 => 2, 2 => 3, 6 => 4, _ => throw new ArgumentOutOfRangeException(nameof(colourType)) };
        int stride = width * channels;
        using var scanlines = new MemoryStream();
        using (var zlib = new ZLibStream(scanlines, CompressionLevel.Fastest, leaveOpen: true))
        {
            for (int y = 0; y < height; y++)
            {
                int filter = filterOfRow(y);
                zlib.WriteByte((byte)filter);
                for (int i = 0; i < stride; i++)
                {
                    int left = i >= channels ? pixels[(y * stride) + i - channels] : 0;
                    int up = y > 0 ? pixels[((y - 1) * stride) + i] : 0;
                    int upLeft = y > 0 && i >= channels ? pixels[((y - 1) * stride) + i - channels] : 0;
                    int predictor = filter switch { 0 => 0, 1 => left, 2 => up, 3 => (left + up) / 2, _ => Paeth(left, up, upLeft) };
                    zlib.WriteByte((byte)(pixels[(y * stride) + i] - predictor));
                }
            }
        }

        using var png = new MemoryStream();
        png.Write(PngEncoder.Signature);
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = 8;
        header[9] = (byte)colourType;
        Chunk(png, "IHDR", header);
        Chunk(png, "IDAT", scanlines.ToArray());
        Chunk(png, "IEND", []);
        return png.ToArray();
    }

    private static void Chunk(Stream png, string type, byte[] data)
    {
        var bytes = new byte[12 + data.Length];
        BinaryPrimitives.WriteInt32BigEndian(bytes, data.Length);
        Encoding.ASCII.GetBytes(type).CopyTo(bytes, 4);
        data.CopyTo(bytes, 8);
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(8 + data.Length), Crc32.Compute(bytes.AsSpan(4, 4 + data.Length)));
        png.Write(bytes);
    }

    private static int Paeth(int a, int b, int c)
    {
        int p = a + b - c;
        int pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }
}
