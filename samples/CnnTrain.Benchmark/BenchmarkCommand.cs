using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using CnnTrain.Benchmark.Measure;

namespace CnnTrain.Benchmark;

/// <summary>The command line (System.CommandLine): options, their checks and help, turned into <see cref="BenchmarkSettings"/>.</summary>
internal static class BenchmarkCommand
{
    private static readonly Option<string[]> NetworksOption = List<string>(
        "--networks", "Networks to run: names from networks.json, the groups 'study' and 'named', or 'all'", ["all"]);

    private static readonly Option<string[]> DevicesOption = List<string>("--devices", "Devices: cuda, multicore, sequential", ["cuda", "multicore"]);

    private static readonly Option<int[]> BatchesOption = List<int>("--batches", "Batch sizes for every network (default: each network's own list)", null);

    private static readonly Option<int[]> ThreadsOption = List<int>(
        "--threads", "Thread counts of the multicore device; one run per count", [Environment.ProcessorCount]);

    private static readonly Option<int> EpochsOption = Number("--epochs", "Timed epochs after the warm-up (at least 2 are kept)", 3);

    private static readonly Option<int?> ImagesOption = new("--images")
    {
        Description = "Images per epoch (default: the suite's 60,000)",
        Validators = { r => Positive(r, "--images", r.GetValueOrDefault<int?>() ?? 1) },
    };

    private static readonly Option<int> CheckStepsOption = Number("--check-steps", "Steps of the check run whose digest the devices must agree on", 1);

    private static readonly Option<double> BudgetOption = new("--budget")
    {
        Description = "Seconds one timed epoch may take; a slower device is timed on a slice of the epoch and scaled (marked *)",
        DefaultValueFactory = _ => 2.0,
        Validators = { r => PositiveSeconds(r) },
    };

    private static readonly Option<bool> ProfileOption = new("--profile-ops") { Description = "Instead of timing epochs, time each operation of one training step" };

    private static readonly Option<string?> OutputOption = new("--output") { Description = "Folder for the results: cnntrain-DEVICES.jsonl (with --profile-ops, cnntrain-profiles-DEVICES.jsonl)" };

    private static readonly Option<string?> SpecOption = new("--spec") { Description = "The suite definition (default: networks.json beside the app)" };

    private static readonly Option<string?> DataOption = new("--data") { Description = "MNIST-format folder for the 'mnist' networks (default: the bundled digits)" };

    private static readonly Option<bool> ListOption = new("--list") { Description = "List the suite's networks and exit" };

    public static RootCommand Create(Func<BenchmarkSettings, int> run)
    {
        var root = new RootCommand(
            "Times training epochs of the suite's networks (networks.json) on each CnnTrain device, checks that every device " +
            "computes the same bits, and writes the results for join.py to set beside the PyTorch and JAX peers.")
        {
            NetworksOption, DevicesOption, BatchesOption, ThreadsOption, EpochsOption, ImagesOption, CheckStepsOption, BudgetOption,
            ProfileOption, OutputOption, SpecOption, DataOption, ListOption,
        };
        DevicesOption.Validators.Add(r =>
        {
            foreach (string device in r.GetValueOrDefault<string[]>() ?? [])
            {
                if (!DeviceChoice.Modes.Contains(device))
                {
                    r.AddError($"--devices: unknown device '{device}' (use {string.Join(", ", DeviceChoice.Modes)})");
                }
            }
        });
        root.SetAction(result => run(Settings(result)));
        return root;
    }

    private static BenchmarkSettings Settings(ParseResult r)
    {
        var defaults = new BenchmarkSettings();
        return new BenchmarkSettings
        {
            Networks = r.GetValue(NetworksOption)!,
            Devices = r.GetValue(DevicesOption)!,
            Batches = r.GetValue(BatchesOption) is { Length: > 0 } batches ? batches : null,
            Threads = r.GetValue(ThreadsOption)!,
            Epochs = r.GetValue(EpochsOption),
            Images = r.GetValue(ImagesOption),
            CheckSteps = r.GetValue(CheckStepsOption),
            BudgetSeconds = r.GetValue(BudgetOption),
            ProfileOperations = r.GetValue(ProfileOption),
            OutputDirectory = r.GetValue(OutputOption),
            SpecPath = r.GetValue(SpecOption) ?? defaults.SpecPath,
            DataDirectory = r.GetValue(DataOption) ?? defaults.DataDirectory,
            ListOnly = r.GetValue(ListOption),
        };
    }

    // Comma-separated lists ("--batches 100,1000") as well as repeated values ("--batches 100 1000").
    private static Option<T[]> List<T>(string name, string description, T[]? defaults)
        where T : IParsable<T>
    {
        var option = new Option<T[]>(name)
        {
            Description = description,
            AllowMultipleArgumentsPerToken = true,
            CustomParser = result =>
            {
                var values = new List<T>();
                foreach (string part in result.Tokens.SelectMany(t => t.Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
                {
                    if (!T.TryParse(part, CultureInfo.InvariantCulture, out T? value) || (value is int n && n < 1))
                    {
                        result.AddError($"{name}: '{part}' is not {(typeof(T) == typeof(int) ? "a positive integer" : "a valid value")}");
                        return [];
                    }

                    values.Add(value);
                }

                if (values.Count == 0)
                {
                    result.AddError($"{name} needs at least one value");
                }

                return [.. values];
            },
        };
        if (defaults is not null)
        {
            option.DefaultValueFactory = _ => defaults;
        }

        return option;
    }

    private static Option<int> Number(string name, string description, int defaultValue)
    {
        var option = new Option<int>(name) { Description = description, DefaultValueFactory = _ => defaultValue };
        option.Validators.Add(r => Positive(r, name, r.GetValueOrDefault<int>()));
        return option;
    }

    private static void Positive(OptionResult r, string name, int value)
    {
        if (value < 1)
        {
            r.AddError($"{name}: {value} is not a positive integer");
        }
    }

    private static void PositiveSeconds(OptionResult r)
    {
        double value = r.GetValueOrDefault<double>();
        if (!(value > 0) || double.IsInfinity(value))
        {
            r.AddError($"--budget: {value.ToString(CultureInfo.InvariantCulture)} is not a positive number of seconds");
        }
    }
}
