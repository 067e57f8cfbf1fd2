using System.Globalization;

namespace CnnTrain.Persistence;

/// <summary>
/// The values a file may hold, one definition for both directions: writing refuses what reading would refuse, so
/// the library never writes a file it cannot load (a diverged run's NaN weights or losses among them).
/// </summary>
internal static class SavedValues
{
    /// <summary>A mean softmax cross-entropy: a mean of non-negative numbers, finite.</summary>
    public static bool IsLoss(double value) => double.IsFinite(value) && value >= 0;

    /// <summary>A fraction of samples.</summary>
    public static bool IsAccuracy(double value) => value is >= 0 and <= 1;

    /// <summary>A duration <see cref="TimeSpan.FromSeconds(double)"/> takes without throwing, and not negative.</summary>
    public static bool IsSeconds(double value) => value >= 0 && value <= TimeSpan.MaxValue.TotalSeconds;

    /// <summary>The index of the first NaN or infinite value, or -1.</summary>
    public static int FirstNonFinite(ReadOnlySpan<float> values)
    {
        for (int i = 0; i < values.Length; i++)
        {
            if (!float.IsFinite(values[i]))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Throws unless every value of <paramref name="values"/> is finite.</summary>
    /// <exception cref="InvalidOperationException">A value is NaN or infinite; the message names it.</exception>
    public static void RequireFinite(ReadOnlySpan<float> values, string what)
    {
        int bad = FirstNonFinite(values);
        if (bad >= 0)
        {
            throw Unsaveable(string.Create(CultureInfo.InvariantCulture, $"{what} {bad} of {values.Length} is {values[bad]}"));
        }
    }

    /// <summary>The error for a value no loader would accept, naming it: such a file is not written at all.</summary>
    public static InvalidOperationException Unsaveable(string problem) =>
        new($"Cannot save: {problem}. Loading refuses NaN and infinite values (training diverged?), so no file is written.");
}
