namespace CnnTrain.Data;

/// <summary>How <see cref="Dataset.LoadImageFolder"/> and <see cref="Dataset.LoadImage"/> turn image files into samples.</summary>
public sealed record ImageFolderOptions
{
    /// <summary>The most pixels one image may declare; a larger header is refused before the image is decoded.</summary>
    public const long MaxImagePixels = 1L << 26;

    /// <summary>1 for gray ((299 R + 587 G + 114 B + 500) / 1000 of colour files), 3 for RGB. Default 3. Alpha composites over black.</summary>
    public int Channels { get; init; } = 3;

    /// <summary>The samples' width; null for the first image's (in class, then file name, order). Set with <see cref="Height"/>.</summary>
    public int? Width { get; init; }

    /// <summary>The samples' height; null for the first image's. Set with <see cref="Width"/>.</summary>
    public int? Height { get; init; }

    /// <summary>What to do with an image of another size: refuse it (the default), or resample it.</summary>
    public ImageResize Resize { get; init; } = ImageResize.Reject;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first bad value.</summary>
    public void Validate()
    {
        if (Channels is not (1 or 3))
        {
            throw new ArgumentOutOfRangeException(nameof(Channels), Channels, "Images load as 1 (gray) or 3 (RGB) channels.");
        }

        if (Width.HasValue != Height.HasValue)
        {
            throw new ArgumentOutOfRangeException(nameof(Width), Width, "Set both Width and Height, or neither.");
        }

        if (Width is int w && Height is int h && (w < 1 || h < 1 || (long)w * h > MaxImagePixels))
        {
            throw new ArgumentOutOfRangeException(nameof(Width), $"{w}x{h}", $"The size must be at least 1x1 and at most {MaxImagePixels} pixels.");
        }

        if (!Enum.IsDefined(Resize))
        {
            throw new ArgumentOutOfRangeException(nameof(Resize), Resize, "Unknown resize mode.");
        }
    }
}
