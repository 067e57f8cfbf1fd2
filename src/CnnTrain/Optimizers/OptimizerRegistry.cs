using CnnTrain.Persistence;

namespace CnnTrain.Optimizers;

/// <summary>
/// The optimizers a checkpoint can name, each with the reader of its settings: the one list a new optimizer is
/// added to. Reading goes through the optimizer's constructor, so a file can only hold settings code could set.
/// </summary>
internal static class OptimizerRegistry
{
    private static readonly Dictionary<string, Func<PayloadReader, Optimizer>> Readers = new(StringComparer.Ordinal)
    {
        ["sgd"] = Sgd.Read,
        ["adam"] = Adam.Read,
        ["adamw"] = AdamW.Read,
    };

    public static void Write(PayloadWriter writer, Optimizer optimizer)
    {
        writer.Text(optimizer.Kind);
        optimizer.WriteSettings(writer);
    }

    public static Optimizer Read(PayloadReader reader)
    {
        string kind = reader.Text("optimizer kind");
        if (!Readers.TryGetValue(kind, out Func<PayloadReader, Optimizer>? read))
        {
            throw reader.Fail($"unknown optimizer '{kind}' (known: {string.Join(", ", Readers.Keys)})");
        }

        try
        {
            return read(reader);
        }
        catch (ArgumentException e)
        {
            throw reader.Fail($"the {kind} optimizer's settings are not valid: {e.Message}");
        }
    }
}
