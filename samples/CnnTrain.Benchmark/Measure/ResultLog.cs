using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace CnnTrain.Benchmark.Measure;

/// <summary>Appends records to a JSON-lines file as they are made, so a run cut short keeps what it measured.</summary>
internal sealed class ResultLog : IDisposable
{
    private readonly StreamWriter? _writer;

    public ResultLog(string? directory, string fileName)
    {
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
            Path = System.IO.Path.Combine(directory, fileName);
            _writer = new StreamWriter(Path, append: false) { AutoFlush = true };
        }
    }

    public string? Path { get; }

    public void Write<T>(T record, JsonTypeInfo<T> type) => _writer?.WriteLine(JsonSerializer.Serialize(record, type));

    public void Dispose() => _writer?.Dispose();
}
