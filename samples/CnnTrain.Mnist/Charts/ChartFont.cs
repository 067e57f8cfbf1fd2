using ScottPlot;
using SkiaSharp;

namespace CnnTrain.Mnist.Charts;

/// <summary>
/// The typeface of every chart label: DejaVu Sans, embedded in this assembly (licence in Charts/Fonts), so that a chart
/// has the same text on a machine with no fonts installed and never depends on the system's font lookup.
/// </summary>
internal static class ChartFont
{
    /// <summary>The family name the charts ask ScottPlot for.</summary>
    public const string Family = "DejaVu Sans";

    private const string Resource = "CnnTrain.Mnist.Charts.DejaVuSans.ttf";
    private static readonly Lazy<SKTypeface> Bundled = new(Register);

    /// <summary>The bundled typeface, registered with ScottPlot on first use.</summary>
    public static SKTypeface Typeface => Bundled.Value;

    /// <summary>Sets every label of <paramref name="plot"/> (titles, axis and tick labels, legend) to the bundled typeface.</summary>
    public static void Apply(Plot plot)
    {
        _ = Bundled.Value;
        plot.Font.Set(Family);
        plot.Legend.FontName = Family;

        // Otherwise the legend looks for a system font that covers its text on every render.
        plot.Legend.SetBestFontOnEachRender = false;
    }

    private static SKTypeface Register()
    {
        using Stream stream = typeof(ChartFont).Assembly.GetManifestResourceStream(Resource)
            ?? throw new InvalidOperationException($"the chart font {Resource} is missing from the assembly");
        SKTypeface typeface = SKTypeface.FromStream(stream)
            ?? throw new InvalidOperationException($"the chart font {Resource} is not a font Skia can read");

        // First in the list and answering every request, so no label (whatever font name it carries) reaches the
        // system resolver, whose answer differs between machines.
        Fonts.FontResolvers.Insert(0, new Resolver(typeface));
        Fonts.Default = Family;
        return typeface;
    }

    private sealed class Resolver(SKTypeface typeface) : IFontResolver
    {
        public SKTypeface? CreateTypeface(string fontName, FontWeight weight, FontSlant slant, FontSpacing width) => typeface;

        public SKTypeface? CreateTypeface(string fontName, bool bold, bool italic) => typeface;
    }
}
