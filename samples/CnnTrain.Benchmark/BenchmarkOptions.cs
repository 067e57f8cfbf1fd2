using System.Globalization;

namespace CnnTrain.Benchmark;

/// <summary>What to measure: devices × filters × batch sizes, on a set of <see cref="Samples"/> images.</summary>
internal sealed record BenchmarkOptions
{
    public IReadOnlyList<string> Devices { get; init; } = ["cuda", "multicore"];

    public IReadOnlyList<int> Filters { get; init; } = [32];

    public IReadOnlyList<int> BatchSizes { get; init; } = [100];

    public int Samples { get; init; } = 60_000;

    public int Epochs { get; init; } = 3;

    public int? Threads { get; init; }

    public string? DataDirectory { get; init; }

    public string? ReportPath { get; init; }

    public bool ProfileOperations { get; init; }

    public const string Usage = """
        Usage: CnnTrain.Benchmark [options]

        Times training epochs of the study's network (Conv2D(F, 3x3) -> ReLU -> MaxPool2D(2x2) -> Dense(10))
        on each device, and checks that every device ends with the same parameter digest.

          --devices LIST      comma-separated: cuda, multicore, sequential (default cuda,multicore)
          --filters LIST      filter counts (default 32)
          --batch-sizes LIST  batch sizes (default 100)
          --grid              the study's grid: filters 32,64,128,256 x batch sizes 100,250,500,1000
          --samples N         training images per epoch, the bundled set repeated as needed (default 60000)
          --epochs N          epochs per configuration; the first also pays for set-up (default 3)
          --threads N         multicore threads (default: one per processor)
          --data DIR          MNIST-format folder to draw the images from (default: the bundled set)
          --report FILE       write the results as JSON
          --profile-ops       instead of training, time each operation of a step on each device
          -h, --help          show this text
        """;

    /// <summary>Parses the command line; throws <see cref="ArgumentException"/> naming the bad option.</summary>
    public static BenchmarkOptions? Parse(IReadOnlyList<string> args)
    {
        var options = new BenchmarkOptions();
        for (int i = 0; i < args.Count; i++)
        {
            string name = args[i];
            if (name is "-h" or "--help")
            {
                return null;
            }

            if (name == "--profile-ops")
            {
                options = options with { ProfileOperations = true };
                continue;
            }

            if (name == "--grid")
            {
                options = options with { Filters = [32, 64, 128, 256], BatchSizes = [100, 250, 500, 1000] };
                continue;
            }

            string value = i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{name} needs a value");
            options = name switch
            {
                "--devices" => options with { Devices = [.. value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)] },
                "--filters" => options with { Filters = Positive(name, value) },
                "--batch-sizes" => options with { BatchSizes = Positive(name, value) },
                "--samples" => options with { Samples = Positive(name, value)[0] },
                "--epochs" => options with { Epochs = Positive(name, value)[0] },
                "--threads" => options with { Threads = Positive(name, value)[0] },
                "--data" => options with { DataDirectory = value },
                "--report" => options with { ReportPath = value },
                _ => throw new ArgumentException($"unknown option {name} (see --help)"),
            };
        }

        foreach (string device in options.Devices)
        {
            if (device is not ("cuda" or "multicore" or "sequential"))
            {
                throw new ArgumentException($"--devices: unknown device '{device}'");
            }
        }

        return options;
    }

    private static int[] Positive(string name, string value)
    {
        string[] parts = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var numbers = new int[parts.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            if (!int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out numbers[i]) || numbers[i] < 1)
            {
                throw new ArgumentException($"{name} takes positive integers (got '{parts[i]}')");
            }
        }

        return numbers.Length > 0 ? numbers : throw new ArgumentException($"{name} needs at least one value");
    }
}
