using System.Globalization;
using CnnTrain.Training;

namespace CnnTrain.Mnist;

/// <summary>
/// The <c>--schedule</c> value: <c>constant</c>, <c>step:EVERY:GAMMA</c> or <c>cosine[:MIN]</c>. It is kept as written
/// until the run knows its epoch count, which the cosine schedule anneals over.
/// </summary>
internal sealed record ScheduleOption(ScheduleKind Kind, int Every = 0, double Gamma = 0, double Minimum = 0)
{
    public static ScheduleOption Constant { get; } = new(ScheduleKind.Constant);

    /// <exception cref="OptionException">The text is not one of the forms, or a number in it is out of range.</exception>
    public static ScheduleOption Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string[] parts = text.Split(':');
        string kind = parts[0].ToLowerInvariant();
        if (kind == "constant" && parts.Length == 1)
        {
            return Constant;
        }

        if (kind == "step" && parts.Length == 3)
        {
            int every = int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int e) && e >= 1
                ? e : throw new OptionException($"--schedule step needs EVERY, a whole number of epochs of at least 1 (got {text})");
            double gamma = double.TryParse(parts[2], NumberStyles.Float, CultureInfo.InvariantCulture, out double g) && g > 0 && g <= 1
                ? g : throw new OptionException($"--schedule step needs GAMMA, a number above 0 and at most 1 (got {text})");
            return new ScheduleOption(ScheduleKind.Step, every, gamma);
        }

        if (kind == "cosine" && parts.Length <= 2)
        {
            double minimum = 0;
            if (parts.Length == 2 && !(double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out minimum) && double.IsFinite(minimum) && minimum >= 0))
            {
                throw new OptionException($"--schedule cosine needs MIN, a non-negative number (got {text})");
            }

            return new ScheduleOption(ScheduleKind.Cosine, Minimum: minimum);
        }

        throw new OptionException($"--schedule must be constant, step:EVERY:GAMMA or cosine[:MIN] (got {text})");
    }

    /// <summary>The library's schedule for a run of <paramref name="epochs"/> epochs.</summary>
    public LearningRateSchedule Create(int epochs) => Kind switch
    {
        ScheduleKind.Step => LearningRateSchedule.Step(Every, Gamma),
        ScheduleKind.Cosine => LearningRateSchedule.Cosine(epochs, Minimum),
        _ => LearningRateSchedule.Constant,
    };

    /// <summary>The option as it would be written on the command line.</summary>
    public override string ToString() => Kind switch
    {
        ScheduleKind.Step => string.Create(CultureInfo.InvariantCulture, $"step:{Every}:{Gamma:R}"),
        ScheduleKind.Cosine => Minimum == 0 ? "cosine" : string.Create(CultureInfo.InvariantCulture, $"cosine:{Minimum:R}"),
        _ => "constant",
    };
}
