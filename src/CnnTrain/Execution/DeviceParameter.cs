using CnnTrain.Devices;

namespace CnnTrain.Execution;

/// <summary>
/// A parameter's device-side state: its values and, when training, its gradient (reduced, or one partial per
/// sample that the optimizer's update sums) and the optimizer's per-parameter state tensors.
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
                _gradient = device.Allocate<float>(perSampleGradient ? checked(host.Count * context.MaxBatch) : host.Count);
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

    /// <summary>True when the gradient holds per-sample partials that the update sums.</summary>
    public bool PerSampleGradient { get; }

    public DeviceBuffer<float> Values { get; }

    /// <summary>The optimizer's state tensors (momentum, moments), each of the parameter's length; none when inferring.</summary>
    public IReadOnlyList<DeviceBuffer<float>> State { get; } = [];

    /// <summary>The gradient slice a step of <paramref name="batch"/> samples writes.</summary>
    public DeviceSlice<float> GradientFor(int batch) =>
        (_gradient ?? throw new InvalidOperationException($"{Host.Name} was planned for inference only; it has no gradient."))
        .Slice(0, PerSampleGradient ? Host.Count * batch : Host.Count);

    /// <summary>How many partials the gradient of a step of <paramref name="batch"/> samples holds.</summary>
    public int PartialCount(int batch) => PerSampleGradient ? batch : 1;

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
