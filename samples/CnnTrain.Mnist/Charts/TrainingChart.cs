using CnnTrain.Training;
using ScottPlot;
using ScottPlot.TickGenerators;
using SkiaSharp;

namespace CnnTrain.Mnist.Charts;

/// <summary>The <c>--plot</c> chart: loss (train and test) and accuracy in percent (train and test) per epoch, side by side.</summary>
internal static class TrainingChart
{
    public const int Width = 1200;
    public const int Height = 480;
    public const string XLabel = "Epoch";

    public static readonly Color Train = Color.FromHex("#1F77B4");
    public static readonly Color Test = Color.FromHex("#FF7F0E");

    /// <summary>The two panels, loss then accuracy, ready to render; the caller disposes them.</summary>
    public static Plot[] Panels(IReadOnlyList<EpochMetrics> history)
    {
        ArgumentNullException.ThrowIfNull(history);
        ChartSeries[] loss =
        [
            new("Train", Train, [.. history.Select(m => m.MeanLoss)]),
            new("Test", Test, [.. history.Select(m => m.Test?.MeanLoss ?? double.NaN)]),
        ];
        ChartSeries[] accuracy =
        [
            new("Train", Train, [.. history.Select(m => m.TrainAccuracy * 100)]),
            new("Test", Test, [.. history.Select(m => (m.Test?.Accuracy ?? double.NaN) * 100)]),
        ];
        return [Panel("Loss", loss, yFromZero: true), Panel("Accuracy (%)", accuracy, yFromZero: false)];
    }

    /// <summary>Renders <paramref name="panels"/> side by side, each in an equal share of the width, as a PNG.</summary>
    public static byte[] Png(IReadOnlyList<Plot> panels)
    {
        using SKSurface surface = SKSurface.Create(new SKImageInfo(Width, Height, SKColorType.Rgba8888, SKAlphaType.Premul));
        surface.Canvas.Clear(SKColors.White);
        for (int i = 0; i < panels.Count; i++)
        {
            float left = (float)i * Width / panels.Count, right = (float)(i + 1) * Width / panels.Count;
            // A plot clears its canvas before drawing; the clip keeps each one to its own share.
            var area = new PixelRect(left, right, Height, 0);
            surface.Canvas.Save();
            surface.Canvas.ClipRect(area.ToSKRect());
            panels[i].Render(surface.Canvas, area);
            surface.Canvas.Restore();
        }

        using SKImage image = surface.Snapshot();
        using SKData png = image.Encode(SKEncodedImageFormat.Png, 100);
        return png.ToArray();
    }

    /// <summary>Renders <paramref name="history"/> and writes it to <paramref name="path"/> as a PNG.</summary>
    public static void Write(string path, IReadOnlyList<EpochMetrics> history)
    {
        Plot[] panels = Panels(history);
        try
        {
            File.WriteAllBytes(path, Png(panels));
        }
        finally
        {
            Dispose(panels);
        }
    }

    public static void Dispose(IEnumerable<Plot> panels)
    {
        foreach (Plot panel in panels)
        {
            panel.Dispose();
        }
    }

    private static Plot Panel(string title, IReadOnlyList<ChartSeries> series, bool yFromZero)
    {
        var plot = new Plot();
        foreach (ChartSeries s in series)
        {
            AddLine(plot, s);
        }

        plot.Title(title);
        plot.XLabel(XLabel);
        plot.ShowLegend(Edge.Top);
        ChartFont.Apply(plot);
        plot.Axes.Bottom.TickGenerator = new NumericAutomatic { IntegerTicksOnly = true };

        int epochs = series.Max(s => s.Values.Count);
        plot.Axes.AutoScale();
        AxisLimits limits = plot.Axes.GetLimits();
        plot.Axes.SetLimitsX(0.5, Math.Max(epochs, 1) + 0.5);
        if (yFromZero)
        {
            plot.Axes.SetLimitsY(Math.Min(0, limits.Bottom), limits.Top);
        }

        return plot;
    }

    // One scatter per run of finite values, so that a NaN leaves a gap; only the first carries the legend entry.
    private static void AddLine(Plot plot, ChartSeries series)
    {
        bool named = false;
        for (int start = 0; start < series.Values.Count;)
        {
            if (!double.IsFinite(series.Values[start]))
            {
                start++;
                continue;
            }

            int end = start;
            while (end < series.Values.Count && double.IsFinite(series.Values[end]))
            {
                end++;
            }

            double[] epochs = [.. Enumerable.Range(start + 1, end - start).Select(e => (double)e)];
            double[] values = [.. series.Values.Skip(start).Take(end - start)];
            ScottPlot.Plottables.Scatter line = plot.Add.Scatter(epochs, values, series.Color);
            line.LineWidth = 2;
            line.MarkerSize = 7;
            if (!named)
            {
                line.LegendText = series.Name;
                named = true;
            }

            start = end;
        }
    }
}
