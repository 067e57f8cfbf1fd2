namespace CnnTrain.Training;

/// <summary>
/// The double arithmetic behind the built-in schedules, in correctly rounded operations only, so a schedule
/// gives the same bits on every machine: the platform's <c>Math.Pow</c> and <c>Math.Cos</c> may differ
/// between C runtimes in the last place, which a rounding to float can occasionally expose.
/// </summary>
internal static class ScheduleMath
{
    /// <summary><paramref name="x"/> to the power <paramref name="k"/> as <c>((1 × x) × x) …</c>, k multiplications.</summary>
    public static double Power(double x, int k)
    {
        double p = 1.0;
        for (int i = 0; i < k; i++)
        {
            p *= x;

            // Once the power is 0 or infinite, further factors cannot change it.
            if (p == 0 || double.IsInfinity(p))
            {
                break;
            }
        }

        return p;
    }

    /// <summary>
    /// <c>(1 + cos(π u)) / 2</c> for <paramref name="u"/> in [0, 1], computed as <c>cos²(π u / 2)</c>, which keeps its
    /// relative accuracy near u = 1 where <c>1 + cos</c> would cancel.
    /// </summary>
    public static double HalfCosine(double u)
    {
        // w = u / 2 is in [0, 1/2]; above 1/4, cos(π w) = sin(π (1/2 − w)), and 1/2 − w is exact there (Sterbenz).
        double w = u * 0.5;
        double c = w <= 0.25 ? CosineNearZero(Math.PI * w) : SineNearZero(Math.PI * (0.5 - w));
        return c * c;
    }

    // Taylor series on [0, π/4] (coefficients ±1/n!) through x^20 and x^21, in Horner form over x²: the first
    // omitted term is below 1e-20, far under half an ulp of the result.
    private static double CosineNearZero(double x)
    {
        double z = x * x;
        double p = 1.0 / 2432902008176640000.0;
        p = (p * z) - (1.0 / 6402373705728000.0);
        p = (p * z) + (1.0 / 20922789888000.0);
        p = (p * z) - (1.0 / 87178291200.0);
        p = (p * z) + (1.0 / 479001600.0);
        p = (p * z) - (1.0 / 3628800.0);
        p = (p * z) + (1.0 / 40320.0);
        p = (p * z) - (1.0 / 720.0);
        p = (p * z) + (1.0 / 24.0);
        p = (p * z) - 0.5;
        return (p * z) + 1.0;
    }

    private static double SineNearZero(double x)
    {
        double z = x * x;
        double p = 1.0 / 51090942171709440000.0;
        p = (p * z) - (1.0 / 121645100408832000.0);
        p = (p * z) + (1.0 / 355687428096000.0);
        p = (p * z) - (1.0 / 1307674368000.0);
        p = (p * z) + (1.0 / 6227020800.0);
        p = (p * z) - (1.0 / 39916800.0);
        p = (p * z) + (1.0 / 362880.0);
        p = (p * z) - (1.0 / 5040.0);
        p = (p * z) + (1.0 / 120.0);
        p = (p * z) - (1.0 / 6.0);
        return ((p * z) * x) + x;
    }
}
