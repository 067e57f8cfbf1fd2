using CnnTrain.Training;

namespace CnnTrain.Persistence;

/// <summary>
/// A checkpoint's payload (docs/file-format.md, "Checkpoint", format version 3; version 2 still reads): the network, then everything the
/// trainer needs to continue as if it had never stopped — epochs and steps completed, the options that shape the
/// numbers (the optimizer and its settings among them), the optimizer's state, and the history early stopping reads.
/// Reading accepts only what a trainer could have saved: the counters must agree with the history.
/// </summary>
internal static class CheckpointCodec
{
    /// <exception cref="InvalidOperationException">A value is one reading would refuse (a diverged run's NaN weights, state or loss); the message names it.</exception>
    public static void Write(PayloadWriter w, TrainingState state) => Write(w, state, Envelope.VersionOf(FileKind.Checkpoint));

    /// <summary>Writes <paramref name="state"/> in the layout of <paramref name="version"/> (tests write older versions with it).</summary>
    public static void Write(PayloadWriter w, TrainingState state, ushort version)
    {
        // Everything is written to memory first, so a refusal part-way leaves no file behind.
        NetworkCodec.Write(w, state.Network);
        for (int i = 0; i < state.OptimizerState.Count; i++)
        {
            for (int t = 0; t < state.OptimizerState[i].Length; t++)
            {
                SavedValues.RequireFinite(state.OptimizerState[i][t], $"optimizer state {t} of {state.Network.Parameters[i].Name}");
            }
        }

        w.Int32(state.EpochsCompleted);
        w.Int64(state.StepsCompleted);
        TrainerOptionsCodec.Write(w, state.Options, version);
        w.Int32(state.OptimizerState.Count);
        foreach (float[][] tensors in state.OptimizerState)
        {
            w.Int32(tensors.Length);
            foreach (float[] t in tensors)
            {
                w.Singles(t);
            }
        }

        HistoryCodec.Write(w, state.History, version);
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

        TrainerOptions options = TrainerOptionsCodec.Read(r);
        List<float[][]> state = ReadOptimizerState(r, network, options);
        List<EpochMetrics> history = HistoryCodec.Read(r, epochs, network);
        long taken = HistoryCodec.Steps(history, options.BatchSize);
        if (steps != taken)
        {
            throw r.Fail($"steps completed is {steps}; the history's {epochs} epochs in batches of {options.BatchSize} took {taken}");
        }

        return new TrainingState(network, epochs, steps, options, state, history);
    }

    private static List<float[][]> ReadOptimizerState(PayloadReader r, Network network, TrainerOptions options)
    {
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
                parameterState[t] = r.FiniteSingles($"optimizer state {t} of {p.Name}", p.Count);
            }

            state.Add(parameterState);
        }

        return state;
    }
}
