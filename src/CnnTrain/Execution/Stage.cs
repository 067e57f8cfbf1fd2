using CnnTrain.Devices;
using MathNet.Numerics.Random;

namespace CnnTrain.Execution;

/// <summary>
/// A unit of device work planned from one or more layers (a convolution with its activation and pool, a dense
/// layer with its activation, or a lone ReLU or pool). Bound to one device and a maximum batch. Each layer plans
/// its own stages (<see cref="Layers.Layer"/>); the op family the stage runs keeps the stage's class.
/// </summary>
internal abstract class Stage : IDisposable
{
    protected Stage(StageContext context, int inputSize, int outputSize)
    {
        Context = context;
        InputSize = inputSize;
        OutputSize = outputSize;
    }

    public StageContext Context { get; }

    public IComputeDevice Device => Context.Device;

    /// <summary>The layers the stage runs, e.g. "Conv2D(32, 3x3) + ReLU + MaxPool2D(2x2)".</summary>
    public string Name { get; set; } = string.Empty;

    /// <summary>Elements of one input sample.</summary>
    public int InputSize { get; }

    /// <summary>Elements of one output sample.</summary>
    public int OutputSize { get; }

    public virtual IReadOnlyList<DeviceParameter> Parameters => [];

    /// <summary>The non-trainable tensors the stage keeps on the device (running statistics); none by default.</summary>
    public virtual IReadOnlyList<DeviceStatistic> Statistics => [];

    /// <summary>What <see cref="Forward"/> queues: the training or the evaluation computation (set by <see cref="DeviceNetwork"/>).</summary>
    public NetworkMode Mode { get; set; }

    /// <summary>The 32-bit mask words one sample of a training step needs (dropout); 0 by default.</summary>
    public virtual int MaskWords => 0;

    /// <summary>The masks of the step about to be queued: <see cref="MaskWords"/> per sample (set by <see cref="DeviceNetwork"/>).</summary>
    public DeviceSlice<int> Masks { get; set; }

    /// <summary>Draws the masks of <paramref name="samples"/> samples into <paramref name="words"/> (samples × <see cref="MaskWords"/>).</summary>
    public virtual void DrawMasks(Span<int> words, int samples, RandomSource random)
    {
    }

    /// <summary>
    /// After a training step's forward pass, folds its batch statistics into the running ones, unless
    /// <paramref name="guard"/> (when given) says the step is skipped; nothing by default.
    /// </summary>
    public virtual void UpdateStatistics(DeviceSlice<int> guard)
    {
    }

    public abstract void Forward(int batch, DeviceSlice<float> input, DeviceSlice<float> output);

    /// <summary>Writes parameter gradients and, when <paramref name="inputGradient"/> is not empty, the input gradient.</summary>
    public abstract void Backward(
        int batch, DeviceSlice<float> input, DeviceSlice<float> output, DeviceSlice<float> outputGradient, DeviceSlice<float> inputGradient);

    public virtual void Dispose()
    {
        foreach (DeviceParameter p in Parameters)
        {
            p.Dispose();
        }

        foreach (DeviceStatistic s in Statistics)
        {
            s.Dispose();
        }
    }

    /// <summary>Throws when a stage planned for inference is asked for a backward pass.</summary>
    protected void RequireTraining()
    {
        if (!Context.Training)
        {
            throw new InvalidOperationException($"{Name} was planned for inference only; it has no gradients.");
        }
    }
}
