using StbImageSharp;

namespace CnnTrain.Data;

/// <summary>
/// The one way an image file becomes sample values, for <see cref="Dataset.LoadImage"/> and every file of
/// <see cref="Dataset.LoadImageFolder"/>. StbImageSharp decodes the file to RGBA; alpha then composites over black
/// (a transparent pixel is 0, where MNIST draws its background), and gray is (299 R + 587 G + 114 B + 500) / 1000 in
/// integers, so a gray file's values pass through unchanged and the conversion has one definition on every machine.
/// </summary>
internal static class ImageDecoder
{
    /// <summary>The header's size, checked before anything is decoded.</summary>
    public static (int Width, int Height) SizeOf(string file)
    {
        using FileStream stream = File.OpenRead(file);
        ImageInfo info = ImageInfo.FromStream(stream) ?? throw new DataFormatException(file, "is not a PNG, JPEG or BMP image that can be read.");
        if (info.Width < 1 || info.Height < 1 || (long)info.Width * info.Height > ImageFolderOptions.MaxImagePixels)
        {
            throw new DataFormatException(file, $"declares {info.Width}x{info.Height} pixels; images of 1 to {ImageFolderOptions.MaxImagePixels} pixels are read.");
        }

        return (info.Width, info.Height);
    }

    /// <summary>
    /// Writes <paramref name="file"/> into <paramref name="destination"/> as planar values of <paramref name="channels"/>
    /// (1 or 3) at <paramref name="width"/> × <paramref name="height"/>, refusing or resampling another size as
    /// <paramref name="resize"/> says.
    /// </summary>
    public static void Read(string file, int channels, int width, int height, ImageResize resize, Span<float> destination)
    {
        (int w, int h) = SizeOf(file);
        if (resize == ImageResize.Reject && (w != width || h != height))
        {
            throw new DataFormatException(
                file, $"is {w}x{h} pixels; the samples are {width}x{height}. Resize the images, or set ImageFolderOptions.Resize to resample them.");
        }

        ImageResult image;
        try
        {
            image = ImageResult.FromMemory(File.ReadAllBytes(file), ColorComponents.RedGreenBlueAlpha);
        }
        catch (Exception e) when (e is not (OutOfMemoryException or IOException or UnauthorizedAccessException))
        {
            // stb_image reports a damaged file with a plain Exception ("bad huffman code", "corrupt PNG", ...).
            throw new DataFormatException(file, $"cannot be decoded: {e.Message}", e);
        }

        ImageResampler.Write(Composite(image.Data, channels), image.Width, image.Height, channels, resize, width, height, destination);
    }

    /// <summary>RGBA bytes to <paramref name="channels"/> interleaved bytes, over black.</summary>
    internal static byte[] Composite(ReadOnlySpan<byte> rgba, int channels)
    {
        int count = rgba.Length / 4;
        var result = new byte[count * channels];
        for (int i = 0; i < count; i++)
        {
            ReadOnlySpan<byte> pixel = rgba.Slice(i * 4, 4);
            int alpha = pixel[3];
            if (channels == 1)
            {
                int gray = ((299 * pixel[0]) + (587 * pixel[1]) + (114 * pixel[2]) + 500) / 1000;
                result[i] = Over(gray, alpha);
            }
            else
            {
                for (int c = 0; c < channels; c++)
                {
                    result[(i * channels) + c] = Over(pixel[c], alpha);
                }
            }
        }

        return result;
    }

    private static byte Over(int value, int alpha) => (byte)(((value * alpha) + 127) / 255);
}
