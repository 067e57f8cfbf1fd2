using System.Text.Json;
using System.Text.Json.Serialization;

namespace CnnTrain.Benchmark.Suite;

/// <summary>networks.json: the suite's networks and hyperparameters, shared with the Python peers.</summary>
internal sealed record SuiteSpec
{
    public int EpochImages { get; set; } = 60_000;

    public int Seed { get; set; } = 1;

    public float Momentum { get; set; } = 0.9f;

    public IReadOnlyList<NetworkSpec> Networks { get; set; } = [];

    /// <summary>Reads and checks the file; every problem is an <see cref="InvalidDataException"/> naming the file and the entry.</summary>
    public static SuiteSpec Load(string path)
    {
        SuiteSpec? spec;
        try
        {
            spec = JsonSerializer.Deserialize(File.ReadAllText(path), SuiteJson.Default.SuiteSpec);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not a valid suite definition: {e.Message}", e);
        }

        if (spec is null || spec.Networks.Count == 0)
        {
            throw new InvalidDataException($"{path}: defines no networks.");
        }

        if (spec.EpochImages < 1)
        {
            throw new InvalidDataException($"{path}: epochImages is {spec.EpochImages}; it must be positive.");
        }

        foreach (NetworkSpec network in spec.Networks)
        {
            if (network.Batches.Count == 0 || network.Batches.Any(b => b < 1))
            {
                throw new InvalidDataException($"{path}: network '{network.Name}' needs positive batch sizes.");
            }

            if (network.Data is not ("mnist" or "random"))
            {
                throw new InvalidDataException($"{path}: network '{network.Name}' has data '{network.Data}'; it must be 'mnist' or 'random'.");
            }
        }

        if (spec.Networks.GroupBy(n => n.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            throw new InvalidDataException($"{path}: network '{twice.Key}' is defined twice.");
        }

        return spec;
    }

    /// <summary>
    /// The networks a list of names selects, in the order asked for (then the file's order within a group): each
    /// item is a network's name, a group ("study", "named") or "all".
    /// </summary>
    public IReadOnlyList<NetworkSpec> Select(IReadOnlyList<string> names)
    {
        var unknown = names.Where(n => n != "all" && !Networks.Any(s => s.Name == n || s.Group == n)).ToList();
        if (unknown.Count > 0)
        {
            throw new ArgumentException(
                $"--networks: unknown network '{unknown[0]}'; the suite has {string.Join(", ", Networks.Select(n => n.Name))} and the groups {string.Join(", ", Networks.Select(n => n.Group).Distinct())}.");
        }

        return [.. names.SelectMany(n => Networks.Where(s => n == "all" || n == s.Name || n == s.Group)).Distinct()];
    }
}

/// <summary>One network of the suite.</summary>
internal sealed record NetworkSpec
{
    public string Name { get; set; } = string.Empty;

    public string Group { get; set; } = string.Empty;

    public IReadOnlyList<int> Input { get; set; } = [];

    public int Classes { get; set; } = 10;

    public string Data { get; set; } = "mnist";

    public float LearningRate { get; set; } = 0.01f;

    public IReadOnlyList<int> Batches { get; set; } = [];

    public IReadOnlyList<LayerSpec> Layers { get; set; } = [];
}

/// <summary>One layer: a type and the settings that type takes (the rest keep their defaults).</summary>
internal sealed record LayerSpec
{
    public string Type { get; set; } = string.Empty;

    public int Filters { get; set; }

    public int Kernel { get; set; } = 3;

    public int Stride { get; set; } = 1;

    public int Padding { get; set; }

    public int Size { get; set; } = 2;

    public int Units { get; set; }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, ReadCommentHandling = JsonCommentHandling.Skip)]
[JsonSerializable(typeof(SuiteSpec))]
internal sealed partial class SuiteJson : JsonSerializerContext;
