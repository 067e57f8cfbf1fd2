namespace CnnTrain.Data;

public sealed partial class Dataset
{
    /// <summary>The names of the CIFAR-10 binary distribution's training files, in the order they are joined.</summary>
    public static IReadOnlyList<string> Cifar10TrainFiles { get; } = ["data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin", "data_batch_5.bin"];

    /// <summary>The name of the CIFAR-10 binary distribution's test file.</summary>
    public const string Cifar10TestFile = "test_batch.bin";

    /// <summary>
    /// Loads CIFAR-10 binary files (raw or .gz, see <see cref="Cifar10Reader"/>) into one dataset of (3, 32, 32) samples,
    /// the files' records in the order given. Pixels become floats as IDX pixels do: <c>byte / 255f</c>.
    /// </summary>
    /// <exception cref="FileNotFoundException">A file does not exist.</exception>
    /// <exception cref="DataFormatException">A file is malformed; the message names it.</exception>
    /// <exception cref="ArgumentException">No file is given, or the files together hold more samples than one dataset can.</exception>
    public static Dataset LoadCifar10Files(IEnumerable<string> paths, int classes = 10)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var parts = paths.Select(p => Cifar10Reader.Read(p, classes)).ToList();
        if (parts.Count == 0)
        {
            throw new ArgumentException("Give at least one CIFAR-10 file.", nameof(paths));
        }

        long values = parts.Sum(p => (long)p.Pixels.Length);
        if (values > Array.MaxLength)
        {
            throw new ArgumentException($"The files hold {values} pixel values; one dataset holds at most {Array.MaxLength}.", nameof(paths));
        }

        var samples = new float[values];
        var labels = new int[parts.Sum(p => p.Labels.Length)];
        int at = 0, sample = 0;
        foreach ((byte[] partLabels, byte[] pixels) in parts)
        {
            for (int i = 0; i < pixels.Length; i++)
            {
                samples[at++] = pixels[i] / 255f;
            }

            foreach (byte label in partLabels)
            {
                labels[sample++] = label;
            }
        }

        return new Dataset(Cifar10Reader.SampleShape, samples, labels, classes);
    }

    /// <summary>
    /// Loads the CIFAR-10 binary distribution's layout from a folder: <see cref="Cifar10TrainFiles"/> (those present, at
    /// least one) as the training set and <see cref="Cifar10TestFile"/> as the test set, each raw or with <c>.gz</c>.
    /// </summary>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="FileNotFoundException">No training file, or no test file; the message names the folder and the files.</exception>
    /// <exception cref="DataFormatException">A file is malformed; the message names it.</exception>
    public static (Dataset Train, Dataset Test) LoadCifar10(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        if (!Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"Data folder not found: {directory}");
        }

        string? Find(string name) => new[] { name, name + ".gz" }.Select(n => Path.Combine(directory, n)).FirstOrDefault(File.Exists);
        string[] train = [.. Cifar10TrainFiles.Select(Find).OfType<string>()];
        if (train.Length == 0)
        {
            throw new FileNotFoundException($"{directory} has none of {string.Join(", ", Cifar10TrainFiles)} (raw or .gz).", Path.Combine(directory, Cifar10TrainFiles[0]));
        }

        string test = Find(Cifar10TestFile)
            ?? throw new FileNotFoundException($"{directory} has no {Cifar10TestFile} (raw or .gz).", Path.Combine(directory, Cifar10TestFile));
        return (LoadCifar10Files(train), LoadCifar10Files([test]));
    }
}
