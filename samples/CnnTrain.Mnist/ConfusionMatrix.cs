using System.Globalization;
using System.Text;

namespace CnnTrain.Mnist;

/// <summary>Counts of (true label, predicted class) pairs: rows are true labels, columns predictions.</summary>
internal static class ConfusionMatrix
{
    /// <exception cref="ArgumentException">The counts differ, or a label or prediction is outside [0, classes).</exception>
    public static int[][] Count(IReadOnlyList<int> predictions, ReadOnlySpan<int> labels, int classes)
    {
        ArgumentNullException.ThrowIfNull(predictions);
        ArgumentOutOfRangeException.ThrowIfLessThan(classes, 1);
        if (predictions.Count != labels.Length)
        {
            throw new ArgumentException($"There are {predictions.Count} predictions for {labels.Length} labels.", nameof(predictions));
        }

        int[][] matrix = [.. Enumerable.Range(0, classes).Select(_ => new int[classes])];
        for (int i = 0; i < labels.Length; i++)
        {
            if ((uint)labels[i] >= (uint)classes || (uint)predictions[i] >= (uint)classes)
            {
                throw new ArgumentException($"Sample {i} has label {labels[i]} and prediction {predictions[i]}; both must be below {classes}.", nameof(labels));
            }

            matrix[labels[i]][predictions[i]]++;
        }

        return matrix;
    }

    /// <summary>A text table with a header row of predicted classes and a row per true label, right-aligned.</summary>
    public static string Format(int[][] matrix)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        const string Corner = "true\\pred";
        int width = Math.Max(matrix.Length.ToString(CultureInfo.InvariantCulture).Length, matrix.SelectMany(r => r).DefaultIfEmpty(0).Max().ToString(CultureInfo.InvariantCulture).Length);
        var text = new StringBuilder();
        text.Append(Corner);
        for (int c = 0; c < matrix.Length; c++)
        {
            text.Append(' ').Append(c.ToString(CultureInfo.InvariantCulture).PadLeft(width));
        }

        text.AppendLine();
        for (int r = 0; r < matrix.Length; r++)
        {
            text.Append(r.ToString(CultureInfo.InvariantCulture).PadLeft(Corner.Length));
            foreach (int count in matrix[r])
            {
                text.Append(' ').Append(count.ToString(CultureInfo.InvariantCulture).PadLeft(width));
            }

            text.AppendLine();
        }

        return text.ToString();
    }
}
