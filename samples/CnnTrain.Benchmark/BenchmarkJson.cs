using System.Text.Json.Serialization;

namespace CnnTrain.Benchmark;

/// <summary>The report: the machine and every result.</summary>
internal sealed record BenchmarkReport(string Machine, int ProcessorCount, string Runtime, string Timestamp, IReadOnlyList<BenchmarkResult> Results);

[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(BenchmarkReport))]
internal sealed partial class BenchmarkJson : JsonSerializerContext;
