namespace CnnTrain.Data;

public sealed partial class Dataset
{
    private static readonly string[] ImageExtensions = [".png", ".jpg", ".jpeg", ".bmp"];

    /// <summary>
    /// Decodes one image file (PNG, JPEG, BMP, or another format StbImageSharp reads, recognised by its content) into one
    /// sample, exactly as <see cref="LoadImageFolder"/> decodes each of its files: (channels, height, width) with
    /// <c>byte / 255f</c> values, alpha composited over black, and gray as (299 R + 587 G + 114 B + 500) / 1000 in integers.
    /// Without <see cref="ImageFolderOptions.Width"/> and <see cref="ImageFolderOptions.Height"/> the sample has the file's
    /// own size; with them, another size is refused or resampled as <see cref="ImageFolderOptions.Resize"/> says.
    /// </summary>
    /// <param name="path">The image file.</param>
    /// <param name="options">The channels, size and resampling; null for the defaults (RGB at the file's size).</param>
    /// <returns>The sample's values and its shape.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="DataFormatException">The file is not an image that can be decoded, is too large, or has another size while resizing is off; the message names the file.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public static (float[] Values, TensorShape Shape) LoadImage(string path, ImageFolderOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        options ??= new ImageFolderOptions();
        options.Validate();
        (int width, int height) = options.Width is int w && options.Height is int h ? (w, h) : ImageDecoder.SizeOf(path);
        TensorShape shape = TensorShape.Image(options.Channels, height, width);
        var values = new float[shape.Size];
        ImageDecoder.Read(path, options.Channels, width, height, options.Resize, values);
        return (values, shape);
    }

    /// <summary>
    /// Loads an image folder: one subfolder per class (at least 2), the classes numbered in ordinal order of their names,
    /// each holding PNG, JPEG or BMP files (by extension; other files are skipped), read in ordinal order of their names
    /// and decoded as <see cref="LoadImage"/> decodes one file. Samples are (channels, height, width) with <c>byte / 255f</c>
    /// values; an image of another size is refused or resampled as <see cref="ImageFolderOptions.Resize"/> says.
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
        (int width, int height) = options.Width is int w && options.Height is int h ? (w, h) : ImageDecoder.SizeOf(files[0][0]);
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
                ImageDecoder.Read(file, channels, width, height, options.Resize, samples.AsSpan(n * size, size));
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
}
