namespace CnnTrain.Mnist.Charts;

/// <summary>Draws one titled panel of per-epoch series into a rectangle of a canvas: grid, axes, tick labels, lines, legend.</summary>
internal static class LineChart
{
    private const int Scale = 2;
    private const int GlyphHeight = PixelFont.Height * Scale;

    public static void Draw(Canvas canvas, (int X, int Y, int Width, int Height) area, string title, IReadOnlyList<ChartSeries> series, bool yFromZero)
    {
        int epochs = series.Max(s => s.Values.Count);
        double[] finite = [.. series.SelectMany(s => s.Values).Where(double.IsFinite)];
        double low = finite.Length == 0 ? 0 : finite.Min();
        double high = finite.Length == 0 ? 1 : finite.Max();
        Axis y = Axis.Covering(yFromZero ? Math.Min(0, low) : low, high);
        Axis x = epochs <= 1 ? Axis.Covering(0, 2, minimumStep: 1) : Axis.Covering(1, epochs, targetTicks: Math.Min(10, epochs - 1), minimumStep: 1);

        int left = area.X + 90, right = area.X + area.Width - 25, top = area.Y + 50, bottom = area.Y + area.Height - 60;
        canvas.Text(left, area.Y + 15, title, Rgb.Black, Scale);

        foreach (double tick in y.Ticks)
        {
            int py = y.Map(tick, bottom, top);
            canvas.Line(left, py, right, py, Rgb.Grid);
            canvas.Line(left - 5, py, left, py, Rgb.Black);
            string label = y.Label(tick);
            canvas.Text(left - 10 - PixelFont.Measure(label, Scale), py - (GlyphHeight / 2), label, Rgb.Black, Scale);
        }

        foreach (double tick in x.Ticks.Where(t => t >= 1 && t <= Math.Max(1, epochs)))
        {
            int px = x.Map(tick, left, right);
            canvas.Line(px, top, px, bottom, Rgb.Grid);
            canvas.Line(px, bottom, px, bottom + 5, Rgb.Black);
            string label = x.Label(tick);
            canvas.Text(px - (PixelFont.Measure(label, Scale) / 2), bottom + 10, label, Rgb.Black, Scale);
        }

        canvas.Line(left, top, left, bottom, Rgb.Black);
        canvas.Line(left, bottom, right, bottom, Rgb.Black);
        canvas.Text(left + ((right - left - PixelFont.Measure("epoch", Scale)) / 2), bottom + 35, "epoch", Rgb.Black, Scale);

        foreach (ChartSeries s in series)
        {
            (int X, int Y)? previous = null;
            for (int i = 0; i < s.Values.Count; i++)
            {
                if (!double.IsFinite(s.Values[i]))
                {
                    previous = null;
                    continue;
                }

                (int X, int Y) point = (x.Map(i + 1, left, right), y.Map(s.Values[i], bottom, top));
                if (previous is { } p)
                {
                    canvas.Line(p.X, p.Y, point.X, point.Y, s.Color, thickness: 2);
                }

                canvas.FillRectangle(point.X - 3, point.Y - 3, 7, 7, s.Color);
                previous = point;
            }
        }

        DrawLegend(canvas, right, area.Y + 15, series);
    }

    // One row above the plot area, right-aligned, so that it never hides data.
    private static void DrawLegend(Canvas canvas, int right, int y, IReadOnlyList<ChartSeries> series)
    {
        const int Swatch = 24, Gap = 8, Spacing = 20;
        int width = series.Sum(s => Swatch + Gap + PixelFont.Measure(s.Name, Scale)) + (Spacing * (series.Count - 1));
        int x = right - width;
        foreach (ChartSeries s in series)
        {
            canvas.Line(x, y + (GlyphHeight / 2), x + Swatch, y + (GlyphHeight / 2), s.Color, thickness: 3);
            canvas.Text(x + Swatch + Gap, y, s.Name, Rgb.Black, Scale);
            x += Swatch + Gap + PixelFont.Measure(s.Name, Scale) + Spacing;
        }
    }
}
