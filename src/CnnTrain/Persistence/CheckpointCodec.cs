using CnnTrain.Training;

namespace CnnTrain.Persistence;

/// <summary>
/// A checkpoint's payload (docs/file-format.md, "Checkpoint"): the network, then everything the trainer needs
/// to continue as if it had never stopped — epochs completed, the options that shape the numbers, the
/// momentum buffers, and the history that early stopping reads.
/// </summary>
internal static class CheckpointCodec
{
    public static void Write(PayloadWriter w, TrainingState state)
    {
        NetworkCodec.Write(w, state.Network);
        w.Int32(state.EpochsCompleted);
        TrainerOptions o = state.Options;
        w.Int32(o.BatchSize);
        w.Single(o.LearningRate);
        w.Single(o.Momentum);
        w.Single(o.WeightDecay);
        w.Int32(o.Seed);
        w.Byte(o.Shuffle ? (byte)1 : (byte)0);
        w.Int32(o.ProgressReportsPerEpoch);
        WriteSchedule(w, o.Schedule);
        w.Byte(o.EarlyStopping is null ? (byte)0 : (byte)1);
        if (o.EarlyStopping is EarlyStopping stop)
        {
            w.Int32(stop.Patience);
            w.Double(stop.MinDelta);
            w.Byte((byte)stop.Metric);
        }

        w.Int32(state.Velocities.Count);
        foreach (float[] v in state.Velocities)
        {
            w.Singles(v);
        }

        w.Int32(state.History.Count);
        foreach (EpochMetrics m in state.History)
        {
            w.Int32(m.Epoch);
            w.Double(m.MeanLoss);
            w.Double(m.TrainAccuracy);
            w.Int32(m.Samples);
            w.Double(m.TrainTime.TotalSeconds);
            w.Byte(m.Test is null ? (byte)0 : (byte)1);
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

        TrainerOptions options;
        try
        {
            options = new TrainerOptions
            {
                BatchSize = r.Int32(),
                LearningRate = r.Single(),
                Momentum = r.Single(),
                WeightDecay = r.Single(),
                Seed = r.Int32(),
                Shuffle = r.Byte() != 0,
                ProgressReportsPerEpoch = r.Int32(),
                Schedule = ReadSchedule(r),
                EarlyStopping = r.Byte() == 0 ? null : new EarlyStopping(r.Int32(), r.Double(), (EarlyStoppingMetric)r.Byte()),
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
            throw r.Fail($"holds {count} momentum buffers for {network.Parameters.Count} parameters");
        }

        var velocities = new List<float[]>(count);
        foreach (Parameter p in network.Parameters)
        {
            float[] v = r.Singles($"{p.Name} momentum");
            if (v.Length != p.Count)
            {
                throw r.Fail($"the momentum of {p.Name} has {v.Length} values; the parameter has {p.Count}");
            }

            velocities.Add(v);
        }

        int entries = r.Count("history", 33);
        var history = new List<EpochMetrics>(entries);
        for (int i = 0; i < entries; i++)
        {
            int epoch = r.Int32();
            double loss = r.Double(), accuracy = r.Double();
            int samples = r.Int32();
            TimeSpan time = TimeSpan.FromSeconds(r.Double());
            EvaluationResult? test = r.Byte() == 0 ? null : new EvaluationResult(r.Double(), r.Double(), [], TimeSpan.FromSeconds(r.Double()));
            history.Add(new EpochMetrics(epoch, loss, accuracy, [], time, test) { Samples = samples });
        }

        return new TrainingState(network, epochs, options, velocities, history);
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
                w.Byte(c.PerStep ? (byte)1 : (byte)0);
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
            2 => new CosineSchedule(r.Int32(), r.Double(), r.Byte() != 0),
            _ => throw r.Fail($"unknown schedule kind {kind}"),
        };
    }
}
