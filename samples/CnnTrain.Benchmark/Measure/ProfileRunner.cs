using System.Globalization;
using CnnTrain.Benchmark.Suite;
using CnnTrain.Devices;
using CnnTrain.Diagnostics;
using Spectre.Console;

namespace CnnTrain.Benchmark.Measure;

/// <summary>The per-operation time of one training step of each selected network on each device (--profile-ops).</summary>
internal sealed class ProfileRunner(SuiteSpec suite, BenchmarkSettings settings, TextWriter output, TextWriter log)
{
    public void Run(IReadOnlyList<NetworkSpec> networks, IReadOnlyList<DeviceChoice> choices)
    {
        using var devices = new OpenDevices(log);
        using var file = new ResultLog(settings.OutputDirectory, $"cnntrain-profiles-{string.Join('-', settings.Devices)}.jsonl");
        foreach (NetworkSpec spec in networks)
        {
            foreach (int batch in settings.Batches ?? [spec.Batches[0]])
            {
                foreach (DeviceChoice choice in choices)
                {
                    if (devices.Get(choice) is not IComputeDevice device)
                    {
                        continue;
                    }

                    Network network = SuiteNetworks.Create(spec, suite.Seed);
                    StepProfile profile = StepProfiler.Profile(network, device, batch, settings.BudgetSeconds / 10);
                    Print(spec.Name, profile, settings.Images ?? suite.EpochImages);
                    file.Write(
                        new ProfileRecord(
                            "cnntrain", choice.Mode, choice.Threads, device.Name, spec.Name, batch,
                            [.. profile.Operations.Select(o => new ProfiledOperation(o.Operation, o.Microseconds, o.Repeats))],
                            profile.StepMicroseconds, profile.FloorMicroseconds),
                        MeasurementJson.Default.ProfileRecord);
                }
            }
        }

        if (file.Path is not null)
        {
            output.WriteLine($"profiles written to {file.Path}");
        }
    }

    private void Print(string network, StepProfile profile, int epochImages)
    {
        output.WriteLine($"{network} on {profile.Device}, batch {profile.BatchSize}: microseconds per operation");
        double step = profile.StepMicroseconds;
        Table table = LogTable.Create(LogTable.Left("operation"), LogTable.Right("µs"), LogTable.Right("share"));
        foreach (OperationTiming op in profile.Operations)
        {
            LogTable.Row(table, op.Operation, Invariant($"{op.Microseconds:F2}"), Invariant($"{100 * op.Microseconds / step:F1}%"));
        }

        LogTable.Row(table, "one step", Invariant($"{step:F2}"), "100.0%");
        LogTable.Write(output, table);
        output.WriteLine(Invariant(
            $"one step x {epochImages / profile.BatchSize} steps = {profile.EpochSeconds(epochImages):F3} s per {epochImages} images; per-operation floor {profile.FloorMicroseconds:F2} µs"));
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
