namespace CnnTrain.Data;

/// <summary>The resamplers of <see cref="ImageResize"/>: interleaved bytes (height × width × channels) in, planar floats out.</summary>
internal static class ImageResampler
{
    /// <summary>Writes the image, resampled to <paramref name="width"/> × <paramref name="height"/>, as planar floats in [0, 1].</summary>
    public static void Write(
        ReadOnlySpan<byte> pixels, int sourceWidth, int sourceHeight, int channels, ImageResize resize, int width, int height, Span<float> destination)
    {
        int plane = width * height;
        if (sourceWidth == width && sourceHeight == height)
        {
            for (int y = 0; y < height; y++)
            {
                for (int x = 0; x < width; x++)
                {
                    for (int c = 0; c < channels; c++)
                    {
                        destination[(c * plane) + (y * width) + x] = pixels[(((y * width) + x) * channels) + c] / 255f;
                    }
                }
            }

            return;
        }

        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                for (int c = 0; c < channels; c++)
                {
                    destination[(c * plane) + (y * width) + x] = resize == ImageResize.Nearest
                        ? Nearest(pixels, sourceWidth, sourceHeight, channels, c, x, y, width, height)
                        : Bilinear(pixels, sourceWidth, sourceHeight, channels, c, x, y, width, height);
                }
            }
        }
    }

    private static float Nearest(ReadOnlySpan<byte> pixels, int sw, int sh, int channels, int c, int x, int y, int width, int height)
    {
        int sx = (int)(((2L * x) + 1) * sw / (2L * width));
        int sy = (int)(((2L * y) + 1) * sh / (2L * height));
        return pixels[(((sy * sw) + sx) * channels) + c] / 255f;
    }

    private static float Bilinear(ReadOnlySpan<byte> pixels, int sw, int sh, int channels, int c, int x, int y, int width, int height)
    {
        (int x0, int x1, double fx) = Taps(x, sw, width);
        (int y0, int y1, double fy) = Taps(y, sh, height);
        int row0 = y0 * sw, row1 = y1 * sw;
        double top = (pixels[((row0 + x0) * channels) + c] * (1 - fx)) + (pixels[((row0 + x1) * channels) + c] * fx);
        double bottom = (pixels[((row1 + x0) * channels) + c] * (1 - fx)) + (pixels[((row1 + x1) * channels) + c] * fx);
        return (float)(((top * (1 - fy)) + (bottom * fy)) / 255.0);
    }

    private static (int Low, int High, double Fraction) Taps(int o, int source, int output)
    {
        double s = Math.Clamp((((o + 0.5) * source) / output) - 0.5, 0, source - 1);
        int low = (int)s;
        return (low, Math.Min(low + 1, source - 1), s - low);
    }
}
