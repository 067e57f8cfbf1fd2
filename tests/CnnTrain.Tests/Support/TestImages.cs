using StbImageWriteSharp;

namespace CnnTrain.Tests.Support;

/// <summary>Writes the image files the decoding tests read, with StbImageWriteSharp (an encoder independent of the decoder under test).</summary>
public static class TestImages
{
    /// <summary>Writes <paramref name="pixels"/> (interleaved, <paramref name="components"/> per pixel) as a PNG, BMP or quality-95 JPEG.</summary>
    public static void Write(string path, int width, int height, byte[] pixels, ColorComponents components, string format)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using FileStream file = File.Create(path);
        var writer = new ImageWriter();
        switch (format)
        {
            case "png":
                writer.WritePng(pixels, width, height, components, file);
                break;
            case "bmp":
                writer.WriteBmp(pixels, width, height, components, file);
                break;
            case "jpg":
                writer.WriteJpg(pixels, width, height, components, file, 95);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(format), format, "png, bmp or jpg");
        }
    }
}
