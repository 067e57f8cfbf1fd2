namespace CnnTrain.Tests.Runner;

/// <summary>
/// Counts skipped tests by their reason, so that a run says once why its tests skipped instead of once per test (a
/// filter that names CUDA tests on a machine without a GPU skips hundreds). Thread-safe: the platform delivers results
/// from several threads.
/// </summary>
internal sealed class SkipReasons
{
    internal const string NoReason = "(no reason given)";

    // NUnit prefixes the reason of a test skipped by its fixture's one-time setup; the reason is the same.
    private const string FixturePrefix = "OneTimeSetUp: ";

    private readonly Dictionary<string, int> _counts = new(StringComparer.Ordinal);

    public void Add(string? reason)
    {
        var key = string.IsNullOrWhiteSpace(reason) ? NoReason : reason.Trim();
        if (key.StartsWith(FixturePrefix, StringComparison.Ordinal))
        {
            key = key[FixturePrefix.Length..].TrimStart();
        }

        lock (_counts)
        {
            _counts[key] = _counts.GetValueOrDefault(key) + 1;
        }
    }

    /// <summary>"N tests skipped: reason", one line per reason, the most common first (ties in ordinal order).</summary>
    public IReadOnlyList<string> Lines()
    {
        lock (_counts)
        {
            return _counts
                .OrderByDescending(pair => pair.Value)
                .ThenBy(pair => pair.Key, StringComparer.Ordinal)
                .Select(pair => $"{pair.Value} {(pair.Value == 1 ? "test" : "tests")} skipped: {pair.Key}")
                .ToList();
        }
    }
}
