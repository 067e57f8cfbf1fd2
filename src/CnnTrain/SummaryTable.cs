using System.Globalization;
using System.Text;
using CnnTrain.Layers;

namespace CnnTrain;

/// <summary>Formats <see cref="Network.Summary"/>: one row per layer, then the totals, like Keras' <c>model.summary()</c>.</summary>
internal static class SummaryTable
{
    private static readonly string[] Headers = ["#", "Layer", "Output shape", "Parameters"];

    public static string Format(Network network)
    {
        var rows = new List<string[]> { new[] { string.Empty, "Input", network.InputShape.ToString(), string.Empty } };
        for (int i = 0; i < network.Layers.Count; i++)
        {
            Layer layer = network.Layers[i];
            long count = layer.Parameters.Sum(p => (long)p.Count);
            rows.Add([Number(i), layer.ToString(), layer.OutputShape.ToString(), Number(count)]);
        }

        int[] widths = [.. Enumerable.Range(0, Headers.Length).Select(c => rows.Append(Headers).Max(r => r[c].Length))];
        var text = new StringBuilder();
        Row(text, Headers, widths);
        text.Append('-', widths.Sum() + (2 * (widths.Length - 1))).Append('\n');
        foreach (string[] row in rows)
        {
            Row(text, row, widths);
        }

        long total = network.ParameterCount;
        text.Append('-', widths.Sum() + (2 * (widths.Length - 1))).Append('\n');
        text.Append(CultureInfo.InvariantCulture, $"Parameters: {Number(total)} ({Number(total * sizeof(float))} bytes as float32)\n");
        return text.ToString();
    }

    // Index and counts align right, names and shapes left; two spaces between columns, no trailing blanks.
    private static void Row(StringBuilder text, string[] cells, int[] widths)
    {
        var line = new StringBuilder();
        for (int c = 0; c < cells.Length; c++)
        {
            bool right = c is 0 or 3;
            line.Append(right ? cells[c].PadLeft(widths[c]) : cells[c].PadRight(widths[c]));
            if (c < cells.Length - 1)
            {
                line.Append("  ");
            }
        }

        text.Append(line.ToString().TrimEnd()).Append('\n');
    }

    private static string Number(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
