using System.Text.Json;
using NUnit.Framework;

namespace CnnTrain.Tests.Fixtures;

/// <summary>
/// The PyTorch float64 fixtures (tests/fixtures/torch/*.json, written by tests/fixtures/make_torch_fixtures.py and
/// committed; the tests only read them). A case is one JSON object; its inputs are float32 values stored exactly.
/// </summary>
public static class TorchFixture
{
    /// <summary>Relative tolerance of every comparison; see <see cref="AssertClose"/>.</summary>
    public const double Tolerance = 1e-5;

    /// <summary>The cases of one fixture file, each named for NUnit.</summary>
    public static IEnumerable<TestCaseData> Cases(string file)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "fixtures", "torch", file + ".json")));
        foreach (JsonElement c in document.RootElement.GetProperty("cases").EnumerateArray())
        {
            yield return new TestCaseData(new TorchCase(c.Clone())).SetArgDisplayNames(c.GetProperty("name").GetString()!);
        }
    }

    /// <summary>
    /// Each element within 1e-5 relative: |actual − expected| ≤ 1e-5 · (|expected| + max over the array of |expected|).
    /// The second term keeps an element that cancels to almost 0 (a float32 sum of many terms) from demanding more
    /// than float32 can give, while a large element is held to 1e-5 of itself. A batch gradient passes
    /// <paramref name="partialScale"/>, the largest magnitude of its per-sample partials, which bounds the max from below:
    /// a float32 sum of partials is no closer than a few roundings of them, and a gradient that is 0 in exact arithmetic
    /// (a bias before batch normalisation) is held to that, not to 0.
    /// </summary>
    public static void AssertClose(double[] expected, float[] actual, string name, double partialScale = 0)
    {
        Assert.That(actual, Has.Length.EqualTo(expected.Length), $"{name}: length");
        double scale = Math.Max(partialScale, expected.Length == 0 ? 0 : expected.Max(Math.Abs));
        for (int i = 0; i < expected.Length; i++)
        {
            double tolerance = Tolerance * (Math.Abs(expected[i]) + scale);
            if (!(Math.Abs(actual[i] - expected[i]) <= tolerance))
            {
                Assert.Fail($"{name}[{i}]: CnnTrain {actual[i]:R}, PyTorch float64 {expected[i]:R}, tolerance {tolerance:G3}");
            }
        }
    }
}

/// <summary>One case of a fixture file, read by name.</summary>
public sealed class TorchCase(JsonElement root)
{
    public JsonElement Root { get; } = root;

    public string Name => Root.GetProperty("name").GetString()!;

    public int Int(string name) => Root.GetProperty(name).GetInt32();

    public JsonElement this[string name] => Root.GetProperty(name);

    /// <summary>A float32 input: stored as the double that equals it, so the cast is exact.</summary>
    public static float[] Floats(JsonElement array) => [.. array.EnumerateArray().Select(v => (float)v.GetDouble())];

    public static double[] Doubles(JsonElement array) => [.. array.EnumerateArray().Select(v => v.GetDouble())];

    public static int[] Ints(JsonElement array) => [.. array.EnumerateArray().Select(v => v.GetInt32())];

    public override string ToString() => Name;
}
