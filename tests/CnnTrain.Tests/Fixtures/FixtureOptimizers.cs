using System.Text.Json;
using CnnTrain.Optimizers;

namespace CnnTrain.Tests.Fixtures;

/// <summary>The fixture's optimizers (make_torch_fixtures.py's TORCH_OPTIMIZERS) as CnnTrain optimizers, under the same kind.</summary>
public static class FixtureOptimizers
{
    private static readonly Dictionary<string, Func<JsonElement, Optimizer>> Builders = new(StringComparer.Ordinal)
    {
        ["sgd"] = s => new Sgd(Single(s, "momentum"), Single(s, "weightDecay", 0f), s.TryGetProperty("nesterov", out JsonElement n) && n.GetBoolean()),
        ["adam"] = s => new Adam(Single(s, "beta1"), Single(s, "beta2"), Single(s, "epsilon"), Single(s, "weightDecay", 0f)),
        ["adamw"] = s => new AdamW(Single(s, "beta1"), Single(s, "beta2"), Single(s, "epsilon"), Single(s, "weightDecay")),
    };

    public static Optimizer Build(string kind, JsonElement settings) =>
        Builders.TryGetValue(kind, out Func<JsonElement, Optimizer>? build)
            ? build(settings)
            : throw new NotSupportedException($"The fixture has an optimizer of kind '{kind}'; add it to {nameof(FixtureOptimizers)}.");

    private static float Single(JsonElement settings, string name, float? fallback = null) =>
        settings.TryGetProperty(name, out JsonElement v) ? (float)v.GetDouble()
        : fallback ?? throw new KeyNotFoundException($"The fixture's optimizer settings have no '{name}'.");
}
