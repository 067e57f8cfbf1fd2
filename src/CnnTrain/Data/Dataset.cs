namespace CnnTrain.Data;

/// <summary>
/// Labelled samples held on the host as float32, ready to upload: <see cref="Count"/> samples of
/// <see cref="SampleShape"/> end to end, and one class label per sample.
/// </summary>
public sealed partial class Dataset
{
    private readonly float[] _samples;
    private readonly int[] _labels;

    /// <summary>Wraps samples and labels after checking that they agree.</summary>
    /// <param name="sampleShape">One sample's shape.</param>
    /// <param name="samples">All samples end to end.</param>
    /// <param name="labels">One label per sample, each in [0, <paramref name="classes"/>).</param>
    /// <param name="classes">Number of classes.</param>
    /// <exception cref="ArgumentException">Lengths disagree or a label is out of range; the message names it.</exception>
    public Dataset(TensorShape sampleShape, float[] samples, int[] labels, int classes)
    {
        ArgumentNullException.ThrowIfNull(samples);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentOutOfRangeException.ThrowIfLessThan(classes, 2);
        if (sampleShape.Rank == 0)
        {
            throw new ArgumentException("The sample shape is empty.", nameof(sampleShape));
        }

        if ((long)labels.Length * sampleShape.Size != samples.Length)
        {
            throw new ArgumentException(
                $"{samples.Length} sample values do not make {labels.Length} samples of {sampleShape} ({sampleShape.Size} values each).", nameof(samples));
        }

        for (int i = 0; i < labels.Length; i++)
        {
            if ((uint)labels[i] >= (uint)classes)
            {
                throw new ArgumentException($"Label {labels[i]} of sample {i} is outside [0, {classes}).", nameof(labels));
            }
        }

        SampleShape = sampleShape;
        Classes = classes;
        _samples = samples;
        _labels = labels;
    }

    /// <summary>One sample's shape.</summary>
    public TensorShape SampleShape { get; }

    /// <summary>The number of samples.</summary>
    public int Count => _labels.Length;

    /// <summary>The number of classes.</summary>
    public int Classes { get; }

    /// <summary>All samples end to end.</summary>
    public ReadOnlyMemory<float> Samples => _samples;

    /// <summary>The labels.</summary>
    public ReadOnlyMemory<int> Labels => _labels;

    /// <summary>
    /// Loads an image/label pair of IDX files (raw or .gz). Pixels become floats one fixed way:
    /// <c>byte / 255f</c>, a correctly rounded division.
    /// </summary>
    /// <exception cref="IdxFormatException">A file is malformed, or the counts differ.</exception>
    public static Dataset LoadIdx(string imagesPath, string labelsPath, int classes = 10)
    {
        (int count, int rows, int columns, byte[] pixels) = IdxReader.ReadImages(imagesPath);
        byte[] labels = IdxReader.ReadLabels(labelsPath, classes);
        if (labels.Length != count)
        {
            throw new IdxFormatException(labelsPath, $"holds {labels.Length} labels for the {count} images of {imagesPath}.");
        }

        var samples = new float[pixels.Length];
        for (int i = 0; i < pixels.Length; i++)
        {
            samples[i] = pixels[i] / 255f;
        }

        return new Dataset(TensorShape.Image(1, rows, columns), samples, [.. labels.Select(l => (int)l)], classes);
    }

    /// <summary>
    /// Loads the MNIST layout from a folder: <c>train-images-idx3-ubyte</c>, <c>train-labels-idx1-ubyte</c>,
    /// <c>t10k-images-idx3-ubyte</c>, <c>t10k-labels-idx1-ubyte</c>, each raw or with <c>.gz</c>
    /// (also Fashion-MNIST, which uses the same names).
    /// </summary>
    /// <exception cref="FileNotFoundException">A file is missing; the message names the folder and the file.</exception>
    public static (Dataset Train, Dataset Test) LoadMnist(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        if (!Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"Data folder not found: {directory}");
        }

        string Find(string stem)
        {
            foreach (string name in new[] { stem, stem + ".gz", stem.Replace("-idx", ".idx", StringComparison.Ordinal), stem.Replace("-idx", ".idx", StringComparison.Ordinal) + ".gz" })
            {
                string path = Path.Combine(directory, name);
                if (File.Exists(path))
                {
                    return path;
                }
            }

            throw new FileNotFoundException($"{directory} has no {stem} (raw or .gz).", Path.Combine(directory, stem));
        }

        return (LoadIdx(Find("train-images-idx3-ubyte"), Find("train-labels-idx1-ubyte")),
                LoadIdx(Find("t10k-images-idx3-ubyte"), Find("t10k-labels-idx1-ubyte")));
    }

    /// <summary>A copy of <paramref name="count"/> samples from <paramref name="start"/>.</summary>
    public Dataset Slice(int start, int count)
    {
        if (start < 0 || count < 0 || (long)start + count > Count)
        {
            throw new ArgumentOutOfRangeException(nameof(start), $"[{start}, {(long)start + count}) lies outside the {Count} samples.");
        }

        int size = SampleShape.Size;
        return new Dataset(SampleShape, _samples.AsSpan(start * size, count * size).ToArray(), _labels.AsSpan(start, count).ToArray(), Classes);
    }
}
