using System.Text.Json.Serialization;

namespace CnnTrain.Mnist;

/// <summary>
/// Source-generated serialisation of <see cref="Report"/>: no reflection, so it survives trimming. Floats and
/// doubles are written in their shortest round-trip form, which is what makes step losses comparable bit for bit;
/// the loss of a skipped step is written as "NaN" rather than failing the report.
/// </summary>
[JsonSourceGenerationOptions(
    WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals)]
[JsonSerializable(typeof(Report))]
internal sealed partial class ReportJsonContext : JsonSerializerContext;
