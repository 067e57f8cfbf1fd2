using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using CnnTrain.Mnist.Charts;

namespace CnnTrain.Mnist.Prediction;

/// <summary>
/// Reads non-interlaced 8-bit PNGs (gray, gray + alpha, RGB, RGBA) into grayscale, with every chunk's CRC
/// checked and the image size bounded before anything is allocated. Colour becomes gray as
/// (299 R + 587 G + 114 B + 500) / 1000 in integers, and alpha composites over black, where MNIST draws
/// white digits: the conversion has one definition, so predictions from a PNG are reproducible.
/// </summary>
internal static class PngDecoder
{
    /// <summary>Refuses images with more pixels than this (a digit is 784).</summary>
    public const long MaxPixels = 1 << 24;

    public static GrayImage Decode(ReadOnlySpan<byte> png)
    {
        if (png.Length < 8 || !png[..8].SequenceEqual(PngEncoder.Signature))
        {
            throw new PngFormatException("not a PNG file (the signature is missing)");
        }

        int width = 0, height = 0, channels = 0;
        using var compressed = new MemoryStream();
        bool sawHeader = false, sawEnd = false;
        int position = 8;
        while (!sawEnd)
        {
            if (png.Length - position < 12)
            {
                throw new PngFormatException("truncated: a chunk header is missing");
            }

            int length = BinaryPrimitives.ReadInt32BigEndian(png[position..]);
            if (length < 0 || length > png.Length - position - 12)
            {
                throw new PngFormatException($"truncated: a chunk of {length} bytes runs past the end of the file");
            }

            ReadOnlySpan<byte> typeAndData = png.Slice(position + 4, 4 + length);
            uint crc = BinaryPrimitives.ReadUInt32BigEndian(png[(position + 8 + length)..]);
            if (Crc32.Compute(typeAndData) != crc)
            {
                throw new PngFormatException($"chunk {Encoding.ASCII.GetString(typeAndData[..4])} fails its CRC check: the file is damaged");
            }

            string type = Encoding.ASCII.GetString(typeAndData[..4]);
            ReadOnlySpan<byte> data = typeAndData[4..];
            switch (type)
            {
                case "IHDR":
                    (width, height, channels) = Header(data);
                    sawHeader = true;
                    break;
                case "IDAT" when sawHeader:
                    compressed.Write(data);
                    break;
                case "IEND":
                    sawEnd = true;
                    break;
                case "PLTE":
                    throw new PngFormatException("palette images are not supported; save the digit as grayscale or RGB");
                default:
                    if (!sawHeader)
                    {
                        throw new PngFormatException("the IHDR chunk does not come first");
                    }

                    break;
            }

            position += 12 + length;
        }

        if (!sawHeader)
        {
            throw new PngFormatException("the IHDR chunk is missing");
        }

        return new GrayImage(width, height, ToGray(Unfilter(compressed, width, height, channels), width * height, channels));
    }

    private static (int Width, int Height, int Channels) Header(ReadOnlySpan<byte> data)
    {
        if (data.Length != 13)
        {
            throw new PngFormatException($"the IHDR chunk has {data.Length} bytes, not 13");
        }

        int width = BinaryPrimitives.ReadInt32BigEndian(data);
        int height = BinaryPrimitives.ReadInt32BigEndian(data[4..]);
        if (width <= 0 || height <= 0 || (long)width * height > MaxPixels)
        {
            throw new PngFormatException($"the image size {width}x{height} is empty or larger than {MaxPixels} pixels");
        }

        if (data[8] != 8)
        {
            throw new PngFormatException($"{data[8]}-bit channels are not supported; only 8-bit");
        }

        int channels = data[9] switch
        {
            0 => 1,
            4 => 2,
            2 => 3,
            6 => 4,
            _ => throw new PngFormatException($"colour type {data[9]} is not supported; only gray, gray + alpha, RGB and RGBA"),
        };
        if (data[10] != 0 || data[11] != 0)
        {
            throw new PngFormatException("unknown compression or filter method");
        }

        if (data[12] != 0)
        {
            throw new PngFormatException("interlaced images are not supported");
        }

        return (width, height, channels);
    }

    private static byte[] Unfilter(MemoryStream compressed, int width, int height, int channels)
    {
        int stride = width * channels;
        var raw = new byte[(long)height * (stride + 1)];
        compressed.Position = 0;
        try
        {
            using var zlib = new ZLibStream(compressed, CompressionMode.Decompress);
            int read = zlib.ReadAtLeast(raw, raw.Length, throwOnEndOfStream: false);
            if (read < raw.Length)
            {
                throw new PngFormatException($"truncated: the image data holds {read} of {raw.Length} bytes");
            }
        }
        catch (InvalidDataException e)
        {
            throw new PngFormatException($"the image data is corrupt ({e.Message})", e);
        }

        var pixels = new byte[(long)height * stride];
        for (int y = 0; y < height; y++)
        {
            byte filter = raw[y * (stride + 1)];
            ReadOnlySpan<byte> line = raw.AsSpan((y * (stride + 1)) + 1, stride);
            Span<byte> current = pixels.AsSpan(y * stride, stride);
            ReadOnlySpan<byte> above = y == 0 ? default : pixels.AsSpan((y - 1) * stride, stride);
            for (int i = 0; i < stride; i++)
            {
                int left = i >= channels ? current[i - channels] : 0;
                int up = y > 0 ? above[i] : 0;
                int upLeft = y > 0 && i >= channels ? above[i - channels] : 0;
                int predictor = filter switch
                {
                    0 => 0,
                    1 => left,
                    2 => up,
                    3 => (left + up) / 2,
                    4 => Paeth(left, up, upLeft),
                    _ => throw new PngFormatException($"row {y} has unknown filter type {filter}"),
                };
                current[i] = (byte)(line[i] + predictor);
            }
        }

        return pixels;
    }

    private static int Paeth(int a, int b, int c)
    {
        int p = a + b - c;
        int pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }

    private static byte[] ToGray(byte[] pixels, int count, int channels)
    {
        var gray = new byte[count];
        for (int i = 0; i < count; i++)
        {
            int at = i * channels;
            int value = channels >= 3
                ? ((299 * pixels[at]) + (587 * pixels[at + 1]) + (114 * pixels[at + 2]) + 500) / 1000
                : pixels[at];
            int alpha = channels is 2 or 4 ? pixels[at + channels - 1] : 255;
            gray[i] = (byte)(((value * alpha) + 127) / 255);
        }

        return gray;
    }
}
