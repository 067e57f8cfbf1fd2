namespace CnnTrain.Tests.Runner;

/// <summary>
/// The options this test app runs with unless the command line chooses otherwise: the terminal shows a block
/// only for a failed test (skipped ones are summed up by <see cref="SkipSummary"/>), and, run from a terminal
/// rather than by a client that renders the results itself (<c>dotnet test</c>, an IDE: <c>--server</c>), the
/// NUnit adapter reads <see cref="SettingsFileName"/>, which stops it echoing every test's skip reason and
/// output as a log line. Failed tests keep their block: message, stack trace and standard output. Without a CUDA
/// device, and unless a filter is given, the tests marked <see cref="Cuda.RequiresCudaAttribute"/> are left out of
/// the run; one skipped test reports their number and the reason.
/// </summary>
internal static class RunDefaults
{
    internal const string SettingsFileName = "CnnTrain.Tests.runsettings";

    /// <summary><paramref name="args"/> with each default appended whose option (or, for the result blocks, the <c>--output</c> preset) is not given.</summary>
    public static string[] Apply(IReadOnlyList<string> args, string settingsFolder, bool cudaAvailable)
    {
        var result = new List<string>(args);
        if (!cudaAvailable && !Names(args, "filter") && !Names(args, "filter-uid") && !Names(args, "treenode-filter"))
        {
            // Counted and reported once by CudaTestsWithoutAGpu instead of one skipped result each.
            result.AddRange(["--filter", $"TestCategory!={Cuda.RequiresCudaAttribute.Category}"]);
        }

        if (!Names(args, "show-test-results") && !Names(args, "output"))
        {
            result.AddRange(["--show-test-results", "failed"]);
        }

        if (!Names(args, "settings") && !Names(args, "server"))
        {
            result.AddRange(["--settings", Path.Combine(settingsFolder, SettingsFileName)]);
        }

        return [.. result];
    }

    // The platform takes "--name value", "--name:value" and "--name=value", with one or two dashes.
    private static bool Names(IReadOnlyList<string> args, string option) => args.Any(arg =>
    {
        var name = arg.TrimStart('-');
        if (name.Length == arg.Length || !name.StartsWith(option, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        return name.Length == option.Length || name[option.Length] is ':' or '=';
    });
}
