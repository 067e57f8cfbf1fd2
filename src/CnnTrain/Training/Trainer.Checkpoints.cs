using CnnTrain.Devices;
using CnnTrain.Persistence;
using Microsoft.Extensions.Logging;

namespace CnnTrain.Training;

public sealed partial class Trainer
{
    /// <summary>
    /// Saves a checkpoint of the last completed epoch to <paramref name="path"/>: the network, the options (the
    /// optimizer with them), the optimizer's state and step count, and the history. <see cref="Resume(string, IComputeDevice)"/>
    /// continues from it with bit-identical results. The file is replaced atomically.
    /// </summary>
    /// <exception cref="NotSupportedException">The options use a custom learning-rate schedule, which cannot be saved.</exception>
    /// <exception cref="InvalidOperationException">A parameter or optimizer state value is not finite (training diverged): the file is left as it was.</exception>
    public void SaveCheckpoint(string path)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ModelFile.Save(path, FileKind.Checkpoint, w => CheckpointCodec.Write(w, State()));
    }

    /// <summary>Writes a checkpoint to <paramref name="stream"/>.</summary>
    /// <exception cref="InvalidOperationException">A parameter or optimizer state value is not finite: nothing is written.</exception>
    public void SaveCheckpoint(Stream stream)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ModelFile.Save(stream, FileKind.Checkpoint, w => CheckpointCodec.Write(w, State()));
    }

    /// <summary>
    /// A trainer that continues from a checkpoint on <paramref name="device"/>: the next epoch is the one after
    /// the checkpoint's, with its shuffle, learning rate and momentum, so training on gives the same bits as
    /// a run that never stopped. The network is rebuilt from the file (see <see cref="Network"/>).
    /// </summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="ModelFormatException">The file is not a valid checkpoint.</exception>
    public static Trainer Resume(string path, IComputeDevice device) => Resume(path, device, null);

    /// <summary>A trainer that continues from the checkpoint at <paramref name="path"/>, logging to <paramref name="logger"/>.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="ModelFormatException">The file is not a valid checkpoint.</exception>
    public static Trainer Resume(string path, IComputeDevice device, ILogger<Trainer>? logger) =>
        Resume(ModelFile.Load(path, FileKind.Checkpoint, CheckpointCodec.Read), device, logger);

    /// <summary>A trainer that continues from the checkpoint in <paramref name="stream"/>.</summary>
    /// <exception cref="ModelFormatException">The content is not a valid checkpoint.</exception>
    public static Trainer Resume(Stream stream, IComputeDevice device, ILogger<Trainer>? logger) =>
        Resume(ModelFile.Load(stream, FileKind.Checkpoint, CheckpointCodec.Read), device, logger);

    private static Trainer Resume(TrainingState state, IComputeDevice device, ILogger<Trainer>? logger)
    {
        var trainer = new Trainer(state.Network, device, state.Options, logger);
        trainer.EpochsCompleted = state.EpochsCompleted;
        trainer.StepsCompleted = state.StepsCompleted;
        for (int i = 0; i < state.OptimizerState.Count; i++)
        {
            for (int t = 0; t < state.OptimizerState[i].Length; t++)
            {
                state.OptimizerState[i][t].CopyTo(trainer._state[i][t], 0);
            }
        }

        trainer._history.AddRange(state.History);
        return trainer;
    }

    private TrainingState State() => new(Network, EpochsCompleted, StepsCompleted, Options, _state, _history);
}
