using CnnTrain.Optimizers;
using CnnTrain.Training;

namespace CnnTrain.Persistence;

/// <summary>
/// A checkpoint's trainer options (docs/file-format.md, "Checkpoint"): every value goes back through the constructor
/// of what holds it and through <see cref="TrainerOptions.Validate"/>, so a file can only hold options code could set.
/// </summary>
internal static class TrainerOptionsCodec
{
    public static void Write(PayloadWriter w, TrainerOptions o)
    {
        w.Int32(o.BatchSize);
        w.Single(o.LearningRate);
        w.Int32(o.Seed);
        w.Boolean(o.Shuffle);
        w.Int32(o.ProgressReportsPerEpoch);
        WriteSchedule(w, o.Schedule);
        w.Boolean(o.EarlyStopping is not null);
        if (o.EarlyStopping is EarlyStopping stop)
        {
            w.Int32(stop.Patience);
            w.Double(stop.MinDelta);
            w.Byte((byte)stop.Metric);
        }

        OptimizerRegistry.Write(w, o.Optimizer);
    }

    public static TrainerOptions Read(PayloadReader r)
    {
        try
        {
            var options = new TrainerOptions
            {
                BatchSize = r.Int32(),
                LearningRate = r.Single(),
                Seed = r.Int32(),
                Shuffle = r.Boolean("the shuffle flag"),
                ProgressReportsPerEpoch = r.Int32(),
                Schedule = ReadSchedule(r),
                EarlyStopping = r.Boolean("the early-stopping flag") ? new EarlyStopping(r.Int32(), r.Double(), (EarlyStoppingMetric)r.Byte()) : null,
                Optimizer = OptimizerRegistry.Read(r),
            };
            options.Validate();
            return options;
        }
        catch (ArgumentException e)
        {
            throw r.Fail($"the trainer options are not valid: {e.Message}");
        }
    }

    private static void WriteSchedule(PayloadWriter w, LearningRateSchedule schedule)
    {
        switch (schedule)
        {
            case ConstantSchedule:
                w.Byte(0);
                break;
            case StepSchedule s:
                w.Byte(1);
                w.Int32(s.EveryEpochs);
                w.Double(s.Gamma);
                break;
            case CosineSchedule c:
                w.Byte(2);
                w.Int32(c.Length);
                w.Double(c.MinimumRate);
                w.Boolean(c.PerStep);
                break;
            default:
                throw new NotSupportedException(
                    $"A checkpoint can hold the built-in schedules only; {schedule.GetType().Name} cannot be saved.");
        }
    }

    private static LearningRateSchedule ReadSchedule(PayloadReader r)
    {
        byte kind = r.Byte();
        return kind switch
        {
            0 => LearningRateSchedule.Constant,
            1 => new StepSchedule(r.Int32(), r.Double()),
            2 => new CosineSchedule(r.Int32(), r.Double(), r.Boolean("the per-step flag")),
            _ => throw r.Fail($"unknown schedule kind {kind}"),
        };
    }
}
