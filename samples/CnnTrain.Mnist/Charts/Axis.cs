using System.Globalization;

namespace CnnTrain.Mnist.Charts;

/// <summary>A linear axis with "nice" ticks (steps of 1, 2 or 5 times a power of ten) that cover the data.</summary>
internal sealed class Axis
{
    private Axis(double minimum, double maximum, double step)
    {
        Minimum = minimum;
        Maximum = maximum;
        Step = step;
    }

    public double Minimum { get; }

    public double Maximum { get; }

    public double Step { get; }

    public IEnumerable<double> Ticks
    {
        get
        {
            int count = (int)Math.Round((Maximum - Minimum) / Step);
            for (int i = 0; i <= count; i++)
            {
                yield return Minimum + (i * Step);
            }
        }
    }

    /// <summary>An axis over [<paramref name="low"/>, <paramref name="high"/>] with about <paramref name="targetTicks"/> intervals.</summary>
    public static Axis Covering(double low, double high, int targetTicks = 5, double minimumStep = 0)
    {
        if (!double.IsFinite(low) || !double.IsFinite(high))
        {
            (low, high) = (0, 1);
        }

        if (high <= low)
        {
            double pad = Math.Max(Math.Abs(low) * 0.1, 1e-3);
            (low, high) = (low - pad, high + pad);
        }

        double raw = (high - low) / targetTicks;
        double magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        double normalized = raw / magnitude;
        double step = Math.Max(minimumStep, (normalized < 1.5 ? 1 : normalized < 3 ? 2 : normalized < 7 ? 5 : 10) * magnitude);
        return new Axis(Math.Floor(low / step) * step, Math.Ceiling(high / step) * step, step);
    }

    /// <summary>Where <paramref name="value"/> falls between <paramref name="start"/> (the minimum) and <paramref name="end"/> (the maximum), in pixels.</summary>
    public int Map(double value, int start, int end) =>
        start + (int)Math.Round((value - Minimum) / (Maximum - Minimum) * (end - start));

    /// <summary>A tick label with as many decimals as the step needs.</summary>
    public string Label(double value)
    {
        int decimals = Math.Max(0, -(int)Math.Floor(Math.Log10(Step) + 1e-9));
        return value.ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
    }
}
