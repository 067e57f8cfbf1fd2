using CnnTrain.Devices;

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
