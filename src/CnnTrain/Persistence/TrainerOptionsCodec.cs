using CnnTrain.Optimizers;
using CnnTrain.Training;

namespace CnnTrain.Persistence;

/// <summary>
/// A checkpoint's trainer options (docs/file-format.md, "Checkpoint"): every value goes back through the constructor
/// of what holds it and through <see cref="TrainerOptions.Validate"/>, so a file can only hold options code could set.
/// Version 3 adds the best-weights flag, the validation fraction and the augmentation; version 2 files read without them.
/// </summary>
internal static class TrainerOptionsCodec
{
    public static void Write(PayloadWriter w, TrainerOptions o, ushort version)
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
            if (version >= 3)
            {
                w.Boolean(stop.RestoreBestWeights);
            }
        }

        OptimizerRegistry.Write(w, o.Optimizer);
        if (version >= 3)
        {
            w.Double(o.ValidationFraction);
            w.Boolean(o.Augmentation is not null);
            if (o.Augmentation is Data.Augmentation a)
            {
                w.Int32(a.CropPadding);
                w.Boolean(a.HorizontalFlip);
            }
        }
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
                EarlyStopping = r.Boolean("the early-stopping flag") ? ReadEarlyStopping(r) : null,
                Optimizer = OptimizerRegistry.Read(r),
            };
            if (r.Version >= 3)
            {
                options = options with
                {
                    ValidationFraction = r.Double(),
                    Augmentation = r.Boolean("the augmentation flag") ? new Data.Augmentation(r.Int32(), r.Boolean("the flip flag")) : null,
                };
            }

            options.Validate();
            return options;
        }
        catch (ArgumentException e)
        {
            throw r.Fail($"the trainer options are not valid: {e.Message}");
        }
    }

    private static EarlyStopping ReadEarlyStopping(PayloadReader r)
    {
        var rule = new EarlyStopping(r.Int32(), r.Double(), (EarlyStoppingMetric)r.Byte());
        return r.Version >= 3 ? rule with { RestoreBestWeights = r.Boolean("the best-weights flag") } : rule;
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
