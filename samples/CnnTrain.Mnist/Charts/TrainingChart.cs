using CnnTrain.Training;

namespace CnnTrain.Mnist.Charts;

/// <summary>The <c>--plot</c> chart: loss (train and test) and accuracy in percent (train and test) per epoch, side by side.</summary>
internal static class TrainingChart
{
    public const int Width = 1200;
    public const int Height = 480;

    public static Canvas Render(IReadOnlyList<EpochMetrics> history)
    {
        ArgumentNullException.ThrowIfNull(history);
        var canvas = new Canvas(Width, Height, Rgb.White);
        ChartSeries[] loss =
        [
            new("train", Rgb.Train, [.. history.Select(m => m.MeanLoss)]),
            new("test", Rgb.Test, [.. history.Select(m => m.Test?.MeanLoss ?? double.NaN)]),
        ];
        ChartSeries[] accuracy =
        [
            new("train", Rgb.Train, [.. history.Select(m => m.TrainAccuracy * 100)]),
            new("test", Rgb.Test, [.. history.Select(m => (m.Test?.Accuracy ?? double.NaN) * 100)]),
        ];
        LineChart.Draw(canvas, (0, 0, Width / 2, Height), "loss", loss, yFromZero: true);
        LineChart.Draw(canvas, (Width / 2, 0, Width / 2, Height), "accuracy (%)", accuracy, yFromZero: false);
        return canvas;
    }

    /// <summary>Renders <paramref name="history"/> and writes it to <paramref name="path"/> as a PNG.</summary>
    public static void Write(string path, IReadOnlyList<EpochMetrics> history) => File.WriteAllBytes(path, PngEncoder.Encode(Render(history)));
}
