namespace CnnTrain.Data;

/// <summary>What an image folder does with an image whose size differs from the target size.</summary>
public enum ImageResize
{
    /// <summary>Refuse it with a <see cref="DataFormatException"/> that names the file and both sizes.</summary>
    Reject,

    /// <summary>
    /// Nearest neighbour: output pixel x takes source pixel ⌊(2x + 1) · sourceWidth / (2 · width)⌋ (likewise y), the
    /// source pixel under the output pixel's centre, computed in integers.
    /// </summary>
    Nearest,

    /// <summary>
    /// Bilinear, centres aligned: output pixel x samples the source at s = (x + ½) · sourceWidth / width − ½, clamped to
    /// [0, sourceWidth − 1], between pixels ⌊s⌋ and ⌊s⌋ + 1 (likewise y); the weighted sum is computed in double from the
    /// bytes, divided by 255 and rounded to float once.
    /// </summary>
    Bilinear,
}
