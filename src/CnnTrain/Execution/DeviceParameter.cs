using CnnTrain.Devices;
using CnnTrain.Optimizers;

namespace CnnTrain.Execution;

/// <summary>
/// A parameter's device-side state: its values and, when training, its gradient (one partial per sample, or one per
/// chunk of the batch; the optimizer's update reduces them over the batch tree) and the optimizer's per-parameter state tensors.
/// </summary>
internal sealed class DeviceParameter : IDisposable
{
    private readonly DeviceBuffer<float>? _gradient;

    public DeviceParameter(StageContext context, Parameter host, bool perSampleGradient)
    {
        Host = host;
        PerSampleGradient = perSampleGradient;
        IComputeDevice device = context.Device;
        Values = device.Allocate<float>(host.Count);
        try
        {
            if (context.Training)
            {
                _gradient = device.Allocate<float>(checked(host.Count * Partials(context.MaxBatch).Count));
                State = [.. Enumerable.Range(0, context.StateTensors).Select(_ => device.Allocate<float>(host.Count))];
            }
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public Parameter Host { get; }

    /// <summary>True when the gradient holds per-sample partials; otherwise one partial per chunk of the batch.</summary>
    public bool PerSampleGradient { get; }

    public DeviceBuffer<float> Values { get; }

    /// <summary>The optimizer's state tensors (momentum, moments), each of the parameter's length; none when inferring.</summary>
    public IReadOnlyList<DeviceBuffer<float>> State { get; } = [];

    /// <summary>The gradient slice a step of <paramref name="batch"/> samples writes.</summary>
    public DeviceSlice<float> GradientFor(int batch) =>
        (_gradient ?? throw new InvalidOperationException($"{Host.Name} was planned for inference only; it has no gradient."))
        .Slice(0, Host.Count * Partials(batch).Count);

    /// <summary>The partials the gradient of a step of <paramref name="batch"/> samples holds, and how they form chunks.</summary>
    public BatchPartials Partials(int batch) => PerSampleGradient ? BatchPartials.PerSample(batch) : BatchPartials.PerChunkOf(batch);

    public void Dispose()
    {
        Values.Dispose();
        _gradient?.Dispose();
        foreach (DeviceBuffer<float> s in State)
        {
            s.Dispose();
        }
    }
}
