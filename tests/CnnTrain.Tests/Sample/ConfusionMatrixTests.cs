using CnnTrain.Mnist;
using FluentAssertions;
using NUnit.Framework;

namespace CnnTrain.Tests.Sample;

public class ConfusionMatrixTests
{
    [Test]
    public void Rows_are_true_labels_and_columns_predictions()
    {
        int[][] matrix = ConfusionMatrix.Count([0, 1, 1, 2, 0, 2], [0, 1, 2, 2, 1, 2], 3);

        matrix.Should().BeEquivalentTo(new[] { new[] { 1, 0, 0 }, new[] { 1, 1, 0 }, new[] { 0, 1, 2 } }, o => o.WithStrictOrdering());
        ConfusionMatrix.Format(matrix).ReplaceLineEndings("\n").Should().Be(
            """
            true\pred 0 1 2
                    0 1 0 0
                    1 1 1 0
                    2 0 1 2

            """.ReplaceLineEndings("\n"));
    }

    [Test]
    public void Columns_widen_for_large_counts()
    {
        int[][] matrix = [[1234, 5], [0, 7]];
        ConfusionMatrix.Format(matrix).Split(Environment.NewLine)[0..3].Should().Equal(
            "true\\pred    0    1",
            "        0 1234    5",
            "        1    0    7");
    }

    [Test]
    public void Mismatched_or_out_of_range_values_are_refused()
    {
        FluentActions.Invoking(() => ConfusionMatrix.Count([0, 1], [0], 2)).Should().Throw<ArgumentException>().WithMessage("There are 2 predictions for 1 labels.*");
        FluentActions.Invoking(() => ConfusionMatrix.Count([0, 5], [0, 1], 2)).Should().Throw<ArgumentException>().WithMessage("Sample 1 has label 1 and prediction 5*");
    }
}
