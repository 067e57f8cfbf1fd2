using CnnTrain.Mnist.Charts;
using CnnTrain.Training;
using FluentAssertions;
using NUnit.Framework;
using ScottPlot;
using StbImageSharp;

namespace CnnTrain.Tests.Sample;

/// <summary>The <c>--plot</c> chart: a PNG of the expected size, with its text in the bundled font, and both series of both panels where their values are.</summary>
public class ChartTests
{
    private static readonly EpochMetrics[] History =
    [
        Epoch(1, 1.2, 0.6, 0.5, 0.85),
        Epoch(2, 0.45, 0.86, 0.4, 0.88),
        Epoch(3, 0.3, 0.91, double.NaN, 0.89),
    ];

    private readonly List<Plot> _panels = [];

    [TearDown]
    public void DisposePanels()
    {
        TrainingChart.Dispose(_panels);
        _panels.Clear();
    }

    [Test]
    public void The_chart_is_a_png_of_the_chart_size()
    {
        ImageResult image = Render(Panels());

        (image.Width, image.Height).Should().Be((TrainingChart.Width, TrainingChart.Height));
        Pixel(image, 0, 0).Should().Be((255, 255, 255), "the background is white");
    }

    [Test]
    public void Every_label_uses_the_bundled_typeface_whatever_font_it_asks_for()
    {
        Plot[] panels = Panels();

        ChartFont.Typeface.FamilyName.Should().Be("DejaVu Sans");
        ChartFont.Typeface.GlyphCount.Should().BeGreaterThan(1000, "the embedded DejaVu Sans, not an empty fallback face");
        foreach (Plot plot in panels)
        {
            plot.Axes.Title.Label.FontName.Should().Be(ChartFont.Family);
            plot.Axes.Bottom.Label.FontName.Should().Be(ChartFont.Family);
            plot.Axes.Bottom.TickLabelStyle.FontName.Should().Be(ChartFont.Family);
            plot.Axes.Left.TickLabelStyle.FontName.Should().Be(ChartFont.Family);
            plot.Legend.FontName.Should().Be(ChartFont.Family);
        }

        Fonts.GetTypeface(ChartFont.Family, bold: true, italic: false).Should().BeSameAs(ChartFont.Typeface);
        Fonts.GetTypeface("Some Font No Machine Has", bold: false, italic: false).Should().BeSameAs(ChartFont.Typeface, "no request reaches the system's fonts");
        Fonts.Default.Should().Be(ChartFont.Family);
    }

    [Test]
    public void The_titles_axis_labels_and_legend_are_drawn_as_text()
    {
        ImageResult labelled = Render(Panels());
        Plot[] hidden = Panels();
        foreach (Plot plot in hidden)
        {
            // The same layout (the text is still measured), only without ink.
            plot.Axes.Title.Label.ForeColor = Colors.Transparent;
            plot.Axes.Bottom.Label.ForeColor = Colors.Transparent;
            plot.Legend.FontColor = Colors.Transparent;
        }

        ImageResult blank = Decode(TrainingChart.Png(hidden));

        int half = TrainingChart.Width / 2;
        for (int panel = 0; panel < 2; panel++)
        {
            int left = panel * half, right = left + half;
            PixelRect data = hidden[panel].LastRender.DataRect;
            int top = Differing(labelled, blank, left, right, 0, (int)data.Top);
            int bottom = Differing(labelled, blank, left, right, (int)data.Bottom + 1, TrainingChart.Height);
            top.Should().BeGreaterThan(300, $"panel {panel}'s title and legend are text");
            bottom.Should().BeGreaterThan(100, $"panel {panel}'s \"{TrainingChart.XLabel}\" is text");
            Differing(labelled, blank, left, right, (int)data.Top, (int)data.Bottom + 1).Should().Be(0, "only the hidden text differs, and the layout is the same");
        }
    }

    [Test]
    public void Both_series_of_both_panels_are_drawn_at_their_values()
    {
        Plot[] panels = Panels();
        ImageResult image = Decode(TrainingChart.Png(panels));

        (double Train, double Test)[][] values =
        [
            [.. History.Select(m => (m.MeanLoss, m.Test!.MeanLoss))],
            [.. History.Select(m => (m.TrainAccuracy * 100, m.Test!.Accuracy * 100))],
        ];
        for (int panel = 0; panel < 2; panel++)
        {
            Plot plot = panels[panel];
            for (int epoch = 1; epoch <= History.Length; epoch++)
            {
                (double train, double test) = values[panel][epoch - 1];
                Near(image, plot.GetPixel(new Coordinates(epoch, train)), TrainingChart.Train).Should().BeTrue($"panel {panel}, train epoch {epoch}");
                if (double.IsFinite(test))
                {
                    Near(image, plot.GetPixel(new Coordinates(epoch, test)), TrainingChart.Test).Should().BeTrue($"panel {panel}, test epoch {epoch}");
                }
            }

            AxisLimits limits = plot.Axes.GetLimits();
            (limits.Left, limits.Right).Should().Be((0.5, 3.5));
            plot.Axes.Bottom.TickGenerator.Ticks.Where(t => t.IsMajor).Should().OnlyContain(t => t.Position == Math.Round(t.Position), "epochs are whole");
        }

        panels[0].Axes.GetLimits().Bottom.Should().Be(0, "the loss axis starts at zero");
        panels[1].Axes.GetLimits().Bottom.Should().BeInRange(50, 60, "the accuracy axis fits the data");

        // The NaN test loss of epoch 3 leaves a gap: halfway from epoch 2's point towards where epoch 3's would be, no test line.
        Pixel mid = panels[0].GetPixel(new Coordinates(2.5, 0.4));
        Near(image, mid, TrainingChart.Test).Should().BeFalse();
        Near(image, panels[0].GetPixel(new Coordinates(1.5, 0.45)), TrainingChart.Test).Should().BeTrue("epochs 1 and 2 are joined");
    }

    private static ImageResult Render(Plot[] panels) => Decode(TrainingChart.Png(panels));

    private Plot[] Panels()
    {
        Plot[] panels = TrainingChart.Panels(History);
        _panels.AddRange(panels);
        return panels;
    }

    private static ImageResult Decode(byte[] png) => ImageResult.FromMemory(png, ColorComponents.RedGreenBlue);

    private static (int R, int G, int B) Pixel(ImageResult image, int x, int y)
    {
        int at = ((y * image.Width) + x) * 3;
        return (image.Data[at], image.Data[at + 1], image.Data[at + 2]);
    }

    // Any pixel within 2 of the point has the colour (give or take anti-aliasing).
    private static bool Near(ImageResult image, Pixel point, Color color)
    {
        for (int dy = -2; dy <= 2; dy++)
        {
            for (int dx = -2; dx <= 2; dx++)
            {
                (int r, int g, int b) = Pixel(image, (int)Math.Round(point.X) + dx, (int)Math.Round(point.Y) + dy);
                if (Math.Abs(r - color.R) + Math.Abs(g - color.G) + Math.Abs(b - color.B) <= 24)
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static int Differing(ImageResult a, ImageResult b, int left, int right, int top, int bottom)
    {
        int count = 0;
        for (int y = top; y < bottom; y++)
        {
            for (int x = left; x < right; x++)
            {
                count += Pixel(a, x, y) != Pixel(b, x, y) ? 1 : 0;
            }
        }

        return count;
    }

    private static EpochMetrics Epoch(int epoch, double loss, double accuracy, double testLoss, double testAccuracy) =>
        new(epoch, loss, accuracy, [1f], TimeSpan.FromSeconds(1), new EvaluationResult(testLoss, testAccuracy, [0], TimeSpan.Zero));
}
