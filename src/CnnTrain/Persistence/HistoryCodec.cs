using CnnTrain.Training;

namespace CnnTrain.Persistence;

/// <summary>
/// A checkpoint's history, one entry per completed epoch (docs/file-format.md, "Checkpoint"). Reading refuses every
/// value a trainer could not have recorded: epochs out of order, losses that are negative or not finite, accuracies
/// outside [0, 1], sample counts no dataset could have, and times outside what <see cref="TimeSpan"/> holds. Version 3
/// adds each epoch's validation evaluation after its test evaluation.
/// </summary>
internal static class HistoryCodec
{
    /// <summary>The fewest bytes an entry takes: epoch, loss, accuracy, samples, seconds and the test flag.</summary>
    private const int EntryBytes = 4 + 8 + 8 + 4 + 8 + 1;

    /// <exception cref="InvalidOperationException">A loss is NaN, infinite or negative, or an accuracy lies outside [0, 1]: reading would refuse it.</exception>
    public static void Write(PayloadWriter w, IReadOnlyList<EpochMetrics> history, ushort version)
    {
        foreach (EpochMetrics m in history)
        {
            RequireSaveable(m);
        }

        w.Int32(history.Count);
        foreach (EpochMetrics m in history)
        {
            w.Int32(m.Epoch);
            w.Double(m.MeanLoss);
            w.Double(m.TrainAccuracy);
            w.Int32(m.Samples);
            w.Double(m.TrainTime.TotalSeconds);
            WriteEvaluation(w, m.Test);
            if (version >= 3)
            {
                WriteEvaluation(w, m.Validation);
            }
        }
    }

    private static void WriteEvaluation(PayloadWriter w, EvaluationResult? evaluation)
    {
        w.Boolean(evaluation is not null);
        if (evaluation is EvaluationResult e)
        {
            w.Double(e.MeanLoss);
            w.Double(e.Accuracy);
            w.Double(e.Time.TotalSeconds);
        }
    }

    private static EvaluationResult? ReadEvaluation(PayloadReader r, string set, int epoch) =>
        r.Boolean($"the {set} flag of epoch {epoch}")
            ? new EvaluationResult(Loss(r, $"the {set} loss of epoch {epoch}"), Accuracy(r, $"the {set} accuracy of epoch {epoch}"), [], Time(r, $"the {set} time of epoch {epoch}"))
            : null;

    /// <summary>Reads the history of a trainer that completed <paramref name="epochs"/> epochs of <paramref name="network"/>.</summary>
    public static List<EpochMetrics> Read(PayloadReader r, int epochs, Network network)
    {
        int entries = r.Count("history", EntryBytes);
        if (entries != epochs)
        {
            throw r.Fail($"holds {entries} history entries; epochs completed is {epochs}, and every completed epoch has one");
        }

        // A training set is one array of samples, so it holds at most Array.MaxLength values.
        int maxSamples = Array.MaxLength / network.InputShape.Size;
        var history = new List<EpochMetrics>(entries);
        for (int i = 0; i < entries; i++)
        {
            int epoch = r.Int32();
            if (epoch != i + 1)
            {
                throw r.Fail($"history entry {i} is for epoch {epoch}; the entries number the epochs 1 to {entries} in order");
            }

            double loss = Loss(r, $"the mean loss of epoch {epoch}");
            double accuracy = Accuracy(r, $"the train accuracy of epoch {epoch}");
            int samples = r.Int32();
            if (samples < 1 || samples > maxSamples)
            {
                throw r.Fail($"epoch {epoch} trained on {samples} samples; a training set of {network.InputShape} holds 1 to {maxSamples}");
            }

            TimeSpan time = Time(r, $"the train time of epoch {epoch}");
            EvaluationResult? test = ReadEvaluation(r, "test", epoch);
            EvaluationResult? validation = r.Version >= 3 ? ReadEvaluation(r, "validation", epoch) : null;
            history.Add(new EpochMetrics(epoch, loss, accuracy, [], time, test) { Samples = samples, Validation = validation });
        }

        return history;
    }

    /// <summary>The optimizer steps the epochs of <paramref name="history"/> took in batches of <paramref name="batchSize"/>: the last batch of an epoch takes what remains.</summary>
    public static long Steps(IEnumerable<EpochMetrics> history, int batchSize) =>
        history.Sum(m => (long)EpochPlan.StepsOf(m.Samples, batchSize));

    /// <exception cref="InvalidOperationException">An entry holds a value reading would refuse; the message names it.</exception>
    private static void RequireSaveable(EpochMetrics m)
    {
        string? problem = !SavedValues.IsLoss(m.MeanLoss) ? $"the mean loss of epoch {m.Epoch} is {m.MeanLoss}"
            : !SavedValues.IsAccuracy(m.TrainAccuracy) ? $"the train accuracy of epoch {m.Epoch} is {m.TrainAccuracy}"
            : m.Test is { } t && !SavedValues.IsLoss(t.MeanLoss) ? $"the test loss of epoch {m.Epoch} is {t.MeanLoss}"
            : m.Test is { } u && !SavedValues.IsAccuracy(u.Accuracy) ? $"the test accuracy of epoch {m.Epoch} is {u.Accuracy}"
            : m.Validation is { } v && !SavedValues.IsLoss(v.MeanLoss) ? $"the validation loss of epoch {m.Epoch} is {v.MeanLoss}"
            : m.Validation is { } a && !SavedValues.IsAccuracy(a.Accuracy) ? $"the validation accuracy of epoch {m.Epoch} is {a.Accuracy}"
            : null;
        if (problem is not null)
        {
            throw SavedValues.Unsaveable(problem);
        }
    }

    private static double Loss(PayloadReader r, string what)
    {
        double value = r.Double();
        return SavedValues.IsLoss(value) ? value : throw r.Fail($"{what} is {value}; a loss is finite and at least 0");
    }

    private static double Accuracy(PayloadReader r, string what)
    {
        double value = r.Double();
        return SavedValues.IsAccuracy(value) ? value : throw r.Fail($"{what} is {value}; an accuracy lies in [0, 1]");
    }

    private static TimeSpan Time(PayloadReader r, string what)
    {
        double seconds = r.Double();
        return SavedValues.IsSeconds(seconds)
            ? TimeSpan.FromSeconds(seconds)
            : throw r.Fail($"{what} is {seconds} seconds; a time lies in [0, {TimeSpan.MaxValue.TotalSeconds}] seconds");
    }
}
