using System.Globalization;

namespace CnnTrain.Mnist;

/// <summary>
/// Reads <c>--name value</c> and <c>--name=value</c> options into <see cref="Options"/> and validates them.
/// Every problem becomes an <see cref="OptionException"/> whose message names the option and the value.
/// </summary>
internal static class OptionParser
{
    private static readonly (string Name, DeviceKind Value)[] DeviceChoices =
        [("sequential", DeviceKind.Sequential), ("multicore", DeviceKind.Multicore), ("cuda", DeviceKind.Cuda)];

    private static readonly (string Name, Initialization Value)[] InitializationChoices =
        [("he", Initialization.He), ("study", Initialization.Study)];

    private static readonly (string Name, DataFormat Value)[] DataFormatChoices =
        [("idx", DataFormat.Idx), ("cifar10", DataFormat.Cifar10), ("folder", DataFormat.Folder)];

    private static readonly Dictionary<string, Func<Options, string, Options>> Valued = new(StringComparer.Ordinal)
    {
        ["--device"] = (o, v) => o with { Device = Choice("--device", v, DeviceChoices) },
        ["--threads"] = (o, v) => o with { Threads = Integer("--threads", v) },
        ["--filters"] = (o, v) => o with { Filters = Integer("--filters", v) },
        ["--kernel"] = (o, v) => o with { KernelSize = Integer("--kernel", v) },
        ["--batch-size"] = (o, v) => o with { BatchSize = Integer("--batch-size", v) },
        ["--epochs"] = (o, v) => o with { Epochs = Integer("--epochs", v) },
        ["--lr"] = (o, v) => o with { LearningRate = Number("--lr", v) },
        ["--momentum"] = (o, v) => o with { Momentum = Number("--momentum", v) },
        ["--seed"] = (o, v) => o with { Seed = Integer("--seed", v) },
        ["--init"] = (o, v) => o with { Initialization = Choice("--init", v, InitializationChoices) },
        ["--data"] = (o, v) => o with { DataDirectory = v },
        ["--data-format"] = (o, v) => o with { DataFormat = Choice("--data-format", v, DataFormatChoices) },
        ["--validation"] = (o, v) => o with { ValidationFraction = Number("--validation", v) },
        ["--report"] = (o, v) => o with { ReportPath = v },
        ["--limit"] = (o, v) => o with { Limit = Integer("--limit", v) },
        ["--schedule"] = (o, v) => o with { Schedule = ScheduleOption.Parse(v) },
        ["--weight-decay"] = (o, v) => o with { WeightDecay = Number("--weight-decay", v) },
        ["--patience"] = (o, v) => o with { Patience = Integer("--patience", v) },
        ["--plot"] = (o, v) => o with { PlotPath = v },
        ["--save"] = (o, v) => o with { SavePath = v },
        ["--checkpoint"] = (o, v) => o with { CheckpointPath = v },
        ["--resume"] = (o, v) => o with { ResumePath = v },
    };

    private static readonly string[] FixedByCheckpoint =
        ["--filters", "--kernel", "--batch-size", "--lr", "--momentum", "--seed", "--init", "--schedule", "--weight-decay", "--patience", "--validation", "--augment"];

    private static readonly Dictionary<string, Func<Options, Options>> Flags = new(StringComparer.Ordinal)
    {
        ["--quiet"] = o => o with { Quiet = true },
        ["--confusion"] = o => o with { Confusion = true },
        ["--augment"] = o => o with { Augment = true },
    };

    /// <summary>Parses and validates <paramref name="args"/>.</summary>
    /// <exception cref="OptionException">An option is unknown, lacks its value, or has a bad one.</exception>
    public static ParsedArguments Parse(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);

        // Help wins over everything else on the line, so that a user fixing a bad command can always get it.
        if (args.Any(a => a is "--help" or "-h"))
        {
            return new ParsedArguments(true, new Options());
        }

        var options = new Options();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < args.Count; i++)
        {
            string arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal) || arg.Length == 2)
            {
                throw new OptionException(arg.StartsWith('-') && arg is not ("-" or "--")
                    ? $"unknown option {arg} (see --help)"
                    : $"unexpected argument {arg} (options start with --; see --help)");
            }

            int equals = arg.IndexOf('=', StringComparison.Ordinal);
            string name = equals < 0 ? arg : arg[..equals];
            string? inline = equals < 0 ? null : arg[(equals + 1)..];
            if (!seen.Add(name) && (Valued.ContainsKey(name) || Flags.ContainsKey(name)))
            {
                throw new OptionException($"{name} is given more than once");
            }

            if (Flags.TryGetValue(name, out Func<Options, Options>? flag))
            {
                if (inline is not null)
                {
                    throw new OptionException($"{name} takes no value (got {inline})");
                }

                options = flag(options);
            }
            else if (Valued.TryGetValue(name, out Func<Options, string, Options>? set))
            {
                string? value = inline;
                if (value is null && i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal))
                {
                    value = args[++i];
                }

                if (string.IsNullOrEmpty(value))
                {
                    throw new OptionException($"{name} needs a value");
                }

                options = set(options, value);
            }
            else
            {
                throw new OptionException($"unknown option {name} (see --help)");
            }
        }

        if (options.ResumePath is not null)
        {
            // The checkpoint holds the network and the options that shape the numbers; another value would
            // silently break the promise that resuming gives the bits of an uninterrupted run.
            foreach (string fixedByCheckpoint in FixedByCheckpoint)
            {
                if (seen.Contains(fixedByCheckpoint))
                {
                    throw new OptionException($"{fixedByCheckpoint} cannot be given with --resume: the checkpoint fixes it");
                }
            }
        }

        options.Validate();
        return new ParsedArguments(false, options);
    }

    private static int Integer(string option, string value)
    {
        if (!int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int result))
        {
            throw new OptionException(long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _)
                ? $"{option} is out of range (got {value})"
                : $"{option} expects a whole number (got {value})");
        }

        return result;
    }

    private static float Number(string option, string value)
    {
        // Names like "NaN" or "Infinity" parse as floats but are no use as hyperparameters.
        if (!float.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out float result) || !float.IsFinite(result))
        {
            throw new OptionException($"{option} expects a finite number (got {value})");
        }

        return result;
    }

    private static T Choice<T>(string option, string value, (string Name, T Value)[] choices)
    {
        foreach ((string name, T choice) in choices)
        {
            if (string.Equals(name, value, StringComparison.OrdinalIgnoreCase))
            {
                return choice;
            }
        }

        string names = string.Join(", ", choices[..^1].Select(c => c.Name)) + " or " + choices[^1].Name;
        throw new OptionException($"{option} must be {names} (got {value})");
    }
}
