using StbImageSharp;

namespace CnnTrain.Data;

public sealed partial class Dataset
{
    private static readonly string[] ImageExtensions = [".png", ".jpg", ".jpeg", ".bmp"];

    /// <summary>
    /// Loads an image folder: one subfolder per class (at least 2), the classes numbered in ordinal order of their names,
    /// each holding PNG, JPEG or BMP files (by extension; other files are skipped), read in ordinal order of their names
    /// and decoded by StbImageSharp. Samples are (channels, height, width) with <c>byte / 255f</c> values; an image of
    /// another size is refused or resampled as <see cref="ImageFolderOptions.Resize"/> says.
    /// </summary>
    /// <returns>The samples, and the class names (the subfolder names) in label order.</returns>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="DataFormatException">The folder has fewer than 2 class subfolders, a class has no images, or an image cannot be decoded, is too large, or has another size while resizing is off; the message names the folder or file.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public static (Dataset Data, IReadOnlyList<string> ClassNames) LoadImageFolder(string directory, ImageFolderOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        options ??= new ImageFolderOptions();
        options.Validate();
        if (!Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"Image folder not found: {directory}");
        }

        string[] classes = [.. Directory.GetDirectories(directory).Order(StringComparer.Ordinal)];
        if (classes.Length < 2)
        {
            throw new DataFormatException(directory, $"has {classes.Length} class subfolders; an image folder holds one subfolder per class, at least 2.");
        }

        string[][] files = [.. classes.Select(ImagesIn)];
        (int width, int height) = options.Width is int w && options.Height is int h ? (w, h) : SizeOf(files[0][0]);
        int channels = options.Channels, size = channels * width * height;
        long count = files.Sum(f => (long)f.Length);
        if (count * size > Array.MaxLength)
        {
            throw new DataFormatException(directory, $"holds {count} images of {channels}x{height}x{width}, more values than one dataset can hold ({Array.MaxLength}).");
        }

        var samples = new float[count * size];
        var labels = new int[count];
        int n = 0;
        for (int label = 0; label < files.Length; label++)
        {
            foreach (string file in files[label])
            {
                ImageResult image = Decode(file, channels, width, height, options.Resize);
                ImageResampler.Write(image.Data, image.Width, image.Height, channels, options.Resize, width, height, samples.AsSpan(n * size, size));
                labels[n++] = label;
            }
        }

        return (new Dataset(TensorShape.Image(channels, height, width), samples, labels, classes.Length), [.. classes.Select(Path.GetFileName).OfType<string>()]);
    }

    private static string[] ImagesIn(string classFolder)
    {
        string[] images = [.. Directory.GetFiles(classFolder)
            .Where(f => ImageExtensions.Contains(Path.GetExtension(f), StringComparer.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal)];
        return images.Length > 0 ? images : throw new DataFormatException(classFolder, "holds no PNG, JPEG or BMP images (.png, .jpg, .jpeg, .bmp).");
    }

    // The header's size, checked before anything is decoded.
    private static (int Width, int Height) SizeOf(string file)
    {
        using FileStream stream = File.OpenRead(file);
        ImageInfo info = ImageInfo.FromStream(stream) ?? throw new DataFormatException(file, "is not a PNG, JPEG or BMP image that can be read.");
        if (info.Width < 1 || info.Height < 1 || (long)info.Width * info.Height > ImageFolderOptions.MaxImagePixels)
        {
            throw new DataFormatException(file, $"declares {info.Width}x{info.Height} pixels; images of 1 to {ImageFolderOptions.MaxImagePixels} pixels are read.");
        }

        return (info.Width, info.Height);
    }

    private static ImageResult Decode(string file, int channels, int width, int height, ImageResize resize)
    {
        (int w, int h) = SizeOf(file);
        if (resize == ImageResize.Reject && (w != width || h != height))
        {
            throw new DataFormatException(
                file, $"is {w}x{h} pixels; the samples are {width}x{height}. Resize the images, or set ImageFolderOptions.Resize to resample them.");
        }

        try
        {
            return ImageResult.FromMemory(File.ReadAllBytes(file), channels == 1 ? ColorComponents.Grey : ColorComponents.RedGreenBlue);
        }
        catch (Exception e) when (e is not (OutOfMemoryException or IOException or UnauthorizedAccessException))
        {
            // stb_image reports a damaged file with a plain Exception ("bad huffman code", "corrupt PNG", ...).
            throw new DataFormatException(file, $"cannot be decoded: {e.Message}", e);
        }
    }
}
