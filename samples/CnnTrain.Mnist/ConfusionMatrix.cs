using System.Globalization;
using Spectre.Console;

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

    /// <summary>
    /// A Spectre.Console grid with a header row of predicted classes and a row per true label, right-aligned and one
    /// space apart: bold labels on a terminal, the same plain columns in a file.
    /// </summary>
    public static Grid Table(int[][] matrix)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        // One width for every class column, so the matrix reads as a square whatever its counts.
        int width = Math.Max(Invariant(matrix.Length).Length, Invariant(matrix.SelectMany(r => r).DefaultIfEmpty(0).Max()).Length);
        var grid = new Grid();
        grid.AddColumn(new GridColumn { Padding = new Padding(0, 0, 0, 0) }.RightAligned());
        for (int c = 0; c < matrix.Length; c++)
        {
            grid.AddColumn(new GridColumn { Padding = new Padding(1, 0, 0, 0), Width = width }.RightAligned());
        }

        var label = new Style(decoration: Decoration.Bold);
        grid.AddRow([new Text("true\\pred", label), .. Enumerable.Range(0, matrix.Length).Select(c => new Text(Invariant(c), label))]);
        for (int r = 0; r < matrix.Length; r++)
        {
            grid.AddRow([new Text(Invariant(r), label), .. matrix[r].Select(count => new Text(Invariant(count)))]);
        }

        return grid;
    }

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);
}
