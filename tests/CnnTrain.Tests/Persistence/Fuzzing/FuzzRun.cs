using System.Diagnostics;
using System.Globalization;
using System.Text;
using CnnTrain.Persistence;

namespace CnnTrain.Tests.Persistence.Fuzzing;

/// <summary>What one probe made of a mutant: whether it loaded, and the allocation it was allowed and made while loading.</summary>
internal readonly record struct Verdict(bool Loaded, long Allocated, long Allowed, string? Note = null);

/// <summary>
/// Feeds mutants to a probe on a worker thread and tallies, per family, how many loaded and how many were refused;
/// anything else — another exception type, an allocation over the bound, or no answer in time — is an escape.
/// </summary>
internal sealed class FuzzRun
{
    private readonly SortedDictionary<string, (int Tried, int Loaded)> _tally = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, int> _notes = new(StringComparer.Ordinal);
    private readonly List<string> _escapes = [];
    private volatile string _current = "(none yet)";

    public TimeSpan Slowest { get; private set; }

    public string SlowestWhat { get; private set; } = string.Empty;

    public int Tried => _tally.Values.Sum(t => t.Tried);

    public IReadOnlyList<string> Escapes => _escapes;

    public IReadOnlyDictionary<string, (int Tried, int Loaded)> Tally => _tally;

    /// <summary>
    /// The probe loads <see cref="Mutant.File"/>, catching only the <see cref="ModelFormatException"/> of the load itself,
    /// uses what it loaded, and returns; every exception it lets through is an escape.
    /// </summary>
    /// <returns>False when the mutants were not all answered within <paramref name="limit"/>; <see cref="Current"/> names the one that hung.</returns>
    public bool Run(IEnumerable<Mutant> mutants, Func<Mutant, Verdict> probe, TimeSpan limit)
    {
        var worker = Task.Run(() =>
        {
            foreach (Mutant m in mutants)
            {
                _current = m.ToString();
                var clock = Stopwatch.StartNew();
                Verdict verdict;
                try
                {
                    verdict = probe(m);
                }
                catch (Exception e)
                {
                    _escapes.Add($"{m}: {e.GetType().Name}: {e.Message}");
                    verdict = new Verdict(false, 0, 0, "escaped");
                }

                if (verdict.Allocated > verdict.Allowed)
                {
                    _escapes.Add($"{m}: allocated {verdict.Allocated} bytes while loading, more than the {verdict.Allowed} allowed");
                }

                if (clock.Elapsed > Slowest)
                {
                    (Slowest, SlowestWhat) = (clock.Elapsed, m.ToString());
                }

                (int tried, int loaded) = _tally.GetValueOrDefault(m.Kind);
                _tally[m.Kind] = (tried + 1, loaded + (verdict.Loaded ? 1 : 0));
                if (verdict.Note is string note)
                {
                    _notes[note] = _notes.GetValueOrDefault(note) + 1;
                }
            }
        });
        return worker.Wait(limit);
    }

    /// <summary>The mutant under way, for a report of one that does not return.</summary>
    public string Current => _current;

    /// <summary>A table of the families for the test's output: tried, loaded, refused; then the notes.</summary>
    public string Report()
    {
        var text = new StringBuilder();
        foreach ((string kind, (int tried, int loaded)) in _tally)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"{tried,6} {kind} ({loaded} loaded, {tried - loaded} refused)");
        }

        text.AppendLine(CultureInfo.InvariantCulture, $"{Tried,6} in all; slowest {Slowest.TotalMilliseconds:F1} ms ({SlowestWhat})");
        foreach ((string note, int count) in _notes)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"{count,6} {note}");
        }

        foreach (string escape in _escapes.Take(40))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"escaped: {escape}");
        }

        return text.ToString();
    }
}
