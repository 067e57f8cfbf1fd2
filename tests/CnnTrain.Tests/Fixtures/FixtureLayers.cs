using System.Text.Json;
using CnnTrain.Layers;
using CnnTrain.Ops;

namespace CnnTrain.Tests.Fixtures;

/// <summary>
/// The fixture's layer specs (make_torch_fixtures.py's TORCH_LAYERS) as CnnTrain layers. A layer added to the script
/// gets its entry here under the same kind.
/// </summary>
public static class FixtureLayers
{
    private static readonly Dictionary<string, Func<JsonElement, Layer>> Builders = new(StringComparer.Ordinal)
    {
        ["Conv2D"] = s => new Conv2D(s.GetProperty("filters").GetInt32(), s.GetProperty("kernel").GetInt32(), Optional(s, "stride", 1), Optional(s, "padding", 0)),
        ["Dense"] = s => new Dense(s.GetProperty("units").GetInt32()),
        ["MaxPool2D"] = s => new MaxPool2D(s.GetProperty("size").GetInt32(), Optional(s, "stride", s.GetProperty("size").GetInt32())),
        ["AvgPool2D"] = s => s.TryGetProperty("global", out JsonElement g) && g.GetBoolean()
            ? AvgPool2D.Global()
            : new AvgPool2D(s.GetProperty("size").GetInt32(), Optional(s, "stride", s.GetProperty("size").GetInt32())),
        ["ReLU"] = _ => new ReLU(),
        ["Flatten"] = _ => new Flatten(),
        ["BatchNorm2D"] = s => new BatchNorm2D(s.GetProperty("channels").GetInt32(), Optional(s, "momentum", 0.1), Optional(s, "epsilon", 1e-5)),
        ["BatchNorm1D"] = s => new BatchNorm1D(s.GetProperty("channels").GetInt32(), Optional(s, "momentum", 0.1), Optional(s, "epsilon", 1e-5)),
        ["Dropout"] = s => new Dropout(s.GetProperty("probability").GetDouble()),
    };

    /// <summary>
    /// The case's network with the fixture's parameter values. A network needs a layer with parameters, so layers
    /// without any (a pool, a ReLU) are followed by a probe: a Dense layer holding the identity matrix and a zero bias,
    /// which passes its input and its output gradient through exactly (every other term of its fma chains is 0 · x
    /// added to a partial sum, which changes nothing). Its parameters come after the fixture's.
    /// </summary>
    public static Network Network(TorchCase c, int outputSize)
    {
        List<Layer> layers = [.. c["layers"].EnumerateArray().Select(Build)];
        bool probe = !layers.Any(l => l is Conv2D or Dense or BatchNormalization);
        if (probe)
        {
            layers.Add(new Dense(outputSize));
        }

        var network = new Network(Shape(TorchCase.Ints(c["inputShape"])), layers);
        float[][] parameters = [.. c["parameters"].EnumerateArray().Select(TorchCase.Floats)];
        if (network.Parameters.Count != parameters.Length + (probe ? 2 : 0))
        {
            throw new InvalidDataException($"{c.Name}: the fixture has {parameters.Length} parameter tensors; the network {network.Parameters.Count}.");
        }

        for (int k = 0; k < parameters.Length; k++)
        {
            parameters[k].CopyTo(network.Parameters[k].Values, 0);
        }

        if (probe)
        {
            float[] identity = network.Parameters[^2].Values;
            Array.Clear(identity);
            for (int i = 0; i < outputSize; i++)
            {
                identity[(i * outputSize) + i] = 1f;
            }

            Array.Clear(network.Parameters[^1].Values);
        }

        return network;
    }

    public static Layer Build(JsonElement spec)
    {
        string kind = spec.GetProperty("kind").GetString()!;
        return Builders.TryGetValue(kind, out Func<JsonElement, Layer>? build)
            ? build(spec)
            : throw new NotSupportedException($"The fixture has a layer of kind '{kind}'; add it to {nameof(FixtureLayers)}.");
    }

    public static TensorShape Shape(int[] dimensions) => dimensions.Length switch
    {
        1 => TensorShape.Vector(dimensions[0]),
        3 => TensorShape.Image(dimensions[0], dimensions[1], dimensions[2]),
        _ => throw new NotSupportedException($"A fixture input of rank {dimensions.Length}."),
    };

    /// <summary>
    /// A Dropout layer's masks as CnnTrain's mask words (docs/numerics.md, "Dropout"): <paramref name="kept"/> holds one
    /// 0 or 1 per element of each of <paramref name="batch"/> samples of <paramref name="size"/> elements.
    /// </summary>
    public static int[] MaskWords(int[] kept, int batch, int size)
    {
        if (kept.Length != batch * size || kept.Any(k => k is not (0 or 1)))
        {
            throw new InvalidDataException($"A fixture mask needs {batch} x {size} values of 0 or 1; it has {kept.Length}.");
        }

        int perSample = DropoutMask.WordsPerSample(size);
        var words = new int[batch * perSample];
        for (int n = 0; n < batch; n++)
        {
            for (int i = 0; i < size; i++)
            {
                words[(n * perSample) + (i >> 5)] |= kept[(n * size) + i] << (i & 31);
            }
        }

        return words;
    }

    private static int Optional(JsonElement spec, string name, int fallback) => spec.TryGetProperty(name, out JsonElement v) ? v.GetInt32() : fallback;

    private static double Optional(JsonElement spec, string name, double fallback) => spec.TryGetProperty(name, out JsonElement v) ? v.GetDouble() : fallback;
}
