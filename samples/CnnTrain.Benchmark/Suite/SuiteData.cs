using CnnTrain.Data;

namespace CnnTrain.Benchmark.Suite;

/// <summary>The epoch data of a suite network, made once per network and shared by every device.</summary>
internal static class SuiteData
{
    /// <summary>
    /// "mnist": the bundled digits (or <paramref name="mnistFolder"/>'s) repeated to <paramref name="images"/>, sample i
    /// being source sample i mod count. "random": pixels k/255 for seeded uniform bytes k, with seeded labels.
    /// </summary>
    public static Dataset Create(NetworkSpec spec, int images, int seed, string mnistFolder)
    {
        var shape = new TensorShape([.. spec.Input]);
        return spec.Data == "mnist" ? Repeat(LoadMnist(mnistFolder, shape), images) : Random(shape, spec.Classes, images, seed);
    }

    private static Dataset LoadMnist(string folder, TensorShape shape)
    {
        (Dataset train, _) = Dataset.LoadMnist(folder);
        return train.SampleShape == shape
            ? train
            : throw new InvalidDataException($"The MNIST data in {folder} has samples of {train.SampleShape}; the network takes {shape}.");
    }

    private static Dataset Repeat(Dataset source, int count)
    {
        int size = source.SampleShape.Size;
        var samples = new float[(long)count * size];
        var labels = new int[count];
        for (int i = 0; i < count; i++)
        {
            int j = i % source.Count;
            source.Samples.Span.Slice(j * size, size).CopyTo(samples.AsSpan(i * size, size));
            labels[i] = source.Labels.Span[j];
        }

        return new Dataset(source.SampleShape, samples, labels, source.Classes);
    }

    private static Dataset Random(TensorShape shape, int classes, int count, int seed)
    {
        var random = new Random(seed);
        var samples = new float[(long)count * shape.Size];
        for (long i = 0; i < samples.LongLength; i++)
        {
            samples[i] = random.Next(256) / 255f;
        }

        var labels = new int[count];
        for (int i = 0; i < count; i++)
        {
            labels[i] = random.Next(classes);
        }

        return new Dataset(shape, samples, labels, classes);
    }
}
