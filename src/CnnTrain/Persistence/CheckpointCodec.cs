using CnnTrain.Optimizers;
using CnnTrain.Training;

namespace CnnTrain.Persistence;

/// <summary>
/// A checkpoint's payload (docs/file-format.md, "Checkpoint", format version 2): the network, then everything the
/// trainer needs to continue as if it had never stopped — epochs and steps completed, the options that shape the
/// numbers (the optimizer and its settings among them), the optimizer's state, and the history early stopping reads.
/// </summary>
internal static class CheckpointCodec
{
    public static void Write(PayloadWriter w, TrainingState state)
    {
        NetworkCodec.Write(w, state.Network);
        w.Int32(state.EpochsCompleted);
        w.Int64(state.StepsCompleted);
        TrainerOptions o = state.Options;
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
        w.Int32(state.OptimizerState.Count);
        foreach (float[][] tensors in state.OptimizerState)
        {
            w.Int32(tensors.Length);
            foreach (float[] t in tensors)
            {
                w.Singles(t);
            }
        }

        w.Int32(state.History.Count);
        foreach (EpochMetrics m in state.History)
        {
            w.Int32(m.Epoch);
            w.Double(m.MeanLoss);
            w.Double(m.TrainAccuracy);
            w.Int32(m.Samples);
            w.Double(m.TrainTime.TotalSeconds);
            w.Boolean(m.Test is not null);
            if (m.Test is EvaluationResult t)
            {
                w.Double(t.MeanLoss);
                w.Double(t.Accuracy);
                w.Double(t.Time.TotalSeconds);
            }
        }
    }

    public static TrainingState Read(PayloadReader r)
    {
        Network network = NetworkCodec.Read(r);
        int epochs = r.Int32();
        if (epochs < 0)
        {
            throw r.Fail($"epochs completed is {epochs}");
        }

        long steps = r.Int64();
        if (steps < 0)
        {
            throw r.Fail($"steps completed is {steps}");
        }

        TrainerOptions options;
        try
        {
            options = new TrainerOptions
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
        }
        catch (ArgumentException e)
        {
            throw r.Fail($"the trainer options are not valid: {e.Message}");
        }

        int count = r.Int32();
        if (count != network.Parameters.Count)
        {
            throw r.Fail($"holds optimizer state for {count} parameters; the network has {network.Parameters.Count}");
        }

        var state = new List<float[][]>(count);
        foreach (Parameter p in network.Parameters)
        {
            int tensors = r.Int32();
            if (tensors != options.Optimizer.StateTensors)
            {
                throw r.Fail($"holds {tensors} state tensors for {p.Name}; {options.Optimizer} keeps {options.Optimizer.StateTensors}");
            }

            var parameterState = new float[tensors][];
            for (int t = 0; t < tensors; t++)
            {
                parameterState[t] = r.Singles($"{p.Name} optimizer state");
                if (parameterState[t].Length != p.Count)
                {
                    throw r.Fail($"optimizer state {t} of {p.Name} has {parameterState[t].Length} values; the parameter has {p.Count}");
                }
            }

            state.Add(parameterState);
        }

        int entries = r.Count("history", 33);
        var history = new List<EpochMetrics>(entries);
        for (int i = 0; i < entries; i++)
        {
            int epoch = r.Int32();
            double loss = r.Double(), accuracy = r.Double();
            int samples = r.Int32();
            TimeSpan time = TimeSpan.FromSeconds(r.Double());
            EvaluationResult? test = r.Boolean("the test flag") ? new EvaluationResult(r.Double(), r.Double(), [], TimeSpan.FromSeconds(r.Double())) : null;
            history.Add(new EpochMetrics(epoch, loss, accuracy, [], time, test) { Samples = samples });
        }

        return new TrainingState(network, epochs, steps, options, state, history);
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
