using CnnTrain.Devices;
using CnnTrain.Persistence;

namespace CnnTrain.Optimizers;

/// <summary>
/// How a <see cref="Training.Trainer"/> turns each step's gradients into new parameter values, e.g. <see cref="Sgd"/>. Hyperparameters are checked when the optimizer is created; the
/// learning rate and its schedule stay in <see cref="Training.TrainerOptions"/>. An optimizer keeps per-parameter
/// state on the device (momentum, moment estimates), which checkpoints save and resuming restores, and its update is
/// a fixed sequence of correctly rounded operations, the same on every device (docs/numerics.md, "Optimizers").
/// </summary>
public abstract class Optimizer
{
    private protected Optimizer()
    {
    }

    /// <summary>The name a checkpoint stores the optimizer under, e.g. "sgd".</summary>
    internal abstract string Kind { get; }

    /// <summary>State tensors per parameter, each of the parameter's length (SGD's velocity; Adam's two moments).</summary>
    internal abstract int StateTensors { get; }

    /// <summary>Floats per step that the host computes and uploads with the epoch (the learning rate, bias corrections).</summary>
    internal virtual int StepScalars => 1;

    /// <summary>
    /// The per-step scalars of the steps numbered <paramref name="firstStep"/> onwards (counting from 0 over the trainer's
    /// life), given each step's learning rate: <see cref="StepScalars"/> floats a step, end to end. The default is the rate.
    /// </summary>
    internal virtual void FillStepScalars(ReadOnlySpan<float> learningRates, long firstStep, Span<float> destination) =>
        learningRates.CopyTo(destination);

    /// <summary>
    /// Queues one step's update of every tensor on <paramref name="device"/>, reading this step's scalars from the device;
    /// with a non-empty <paramref name="guard"/> (a <see cref="Ops.StepGuard"/>) the update is skipped where it holds 0.
    /// </summary>
    internal abstract void Update(IComputeDevice device, UpdateTensor[] tensors, DeviceSlice<float> stepScalars, DeviceSlice<int> guard = default);

    /// <summary>Writes the hyperparameters (after the kind) for <see cref="OptimizerRegistry"/> to read back.</summary>
    internal abstract void WriteSettings(PayloadWriter writer);

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> unless <paramref name="value"/> is finite and at least 0.</summary>
    private protected static float NonNegative(float value, string name) =>
        float.IsFinite(value) && value >= 0f ? value : throw new ArgumentOutOfRangeException(name, value, $"{name} must be finite and at least 0.");

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> unless <paramref name="value"/> lies in [0, 1).</summary>
    private protected static float Fraction(float value, string name) =>
        float.IsFinite(value) && value >= 0f && value < 1f ? value : throw new ArgumentOutOfRangeException(name, value, $"{name} must lie in [0, 1).");
}
