namespace CnnTrain.Mnist;

/// <summary>The options for the data's format, augmentation and the validation split.</summary>
internal sealed partial record Options
{
    public DataFormat DataFormat { get; init; } = DataFormat.Idx;

    /// <summary>Random crops (4 pixels of padding) and horizontal flips of the training images every epoch.</summary>
    public bool Augment { get; init; }

    /// <summary>The share of the training set held out for validation; null for none.</summary>
    public double? ValidationFraction { get; init; }

    /// <summary>The crop padding of <c>--augment</c>.</summary>
    public const int AugmentPadding = 4;

    private void ValidateData()
    {
        if (DataFormat != DataFormat.Idx && DataDirectory is null)
        {
            throw new OptionException($"--data-format {DataFormat.ToString().ToLowerInvariant()} needs --data DIR (only MNIST is bundled)");
        }

        if (ValidationFraction is double fraction && !(fraction > 0 && fraction < 1))
        {
            throw new OptionException($"--validation must lie between 0 and 1, both excluded (got {fraction.ToString("R", System.Globalization.CultureInfo.InvariantCulture)})");
        }
    }
}
