using System.CommandLine;
using System.Globalization;
using CnnTrain.Benchmark;
using CnnTrain.Benchmark.Measure;
using CnnTrain.Benchmark.Suite;
using CnnTrain.Data;
using Spectre.Console;

return Benchmark.Run(args, Console.Out, Console.Error);

/// <summary>The benchmark's entry point, callable in-process by the tests.</summary>
internal static class Benchmark
{
    /// <summary>Exit codes: 0 done and the devices agree; 1 a device disagreed or a run failed; 2 bad options or files.</summary>
    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        RootCommand command = BenchmarkCommand.Create(settings => Execute(settings, output, error));
        ParseResult parse = command.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var e in parse.Errors)
            {
                error.WriteLine($"error: {e.Message}");
            }

            error.WriteLine("(see --help)");
            return 2;
        }

        return parse.Invoke(new InvocationConfiguration { Output = output, Error = error });
    }

    private static int Execute(BenchmarkSettings settings, TextWriter output, TextWriter error)
    {
        SuiteSpec suite;
        IReadOnlyList<NetworkSpec> networks;
        try
        {
            suite = SuiteSpec.Load(settings.SpecPath);
            networks = suite.Select(settings.Networks);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or ArgumentException or UnauthorizedAccessException)
        {
            error.WriteLine($"error: {e.Message}");
            return 2;
        }

        if (settings.ListOnly)
        {
            Table table = LogTable.Create(
                LogTable.Left("network"), LogTable.Left("group"), LogTable.Left("input"), LogTable.Left("batches"), LogTable.Right("layers"));
            foreach (NetworkSpec n in networks)
            {
                LogTable.Row(table, n.Name, n.Group, string.Join("x", n.Input), string.Join(", ", n.Batches), n.Layers.Count.ToString(CultureInfo.InvariantCulture));
            }

            LogTable.Write(output, table);

            return 0;
        }

        IReadOnlyList<DeviceChoice> choices = DeviceChoice.Expand(settings.Devices, settings.Threads);
        try
        {
            if (settings.ProfileOperations)
            {
                new ProfileRunner(suite, settings, output, error).Run(networks, choices);
                return 0;
            }

            var runner = new SuiteRunner(suite, settings, output, error);
            runner.Run(networks, choices);
            bool failed = runner.Results.Any(r => r.Error is not null);
            return runner.Disagreements.Count > 0 || failed ? 1 : 0;
        }
        catch (Exception e) when (e is IOException or InvalidDataException or IdxFormatException or UnauthorizedAccessException)
        {
            error.WriteLine($"error: {e.Message}");
            return 2;
        }
    }
}
