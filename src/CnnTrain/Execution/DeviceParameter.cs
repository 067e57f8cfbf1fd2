using CnnTrain.Devices;

namespace CnnTrain.Execution;

/// <summary>
/// A parameter's device-side state: values, gradient (reduced, or one partial per sample), and momentum.
/// </summary>
internal sealed class DeviceParameter : IDisposable
{
    public DeviceParameter(IComputeDevice device, Parameter host, bool perSampleGradient, int maxBatch)
    {
        Host = host;
        PerSampleGradient = perSampleGradient;
        Values = device.Allocate<float>(host.Count);
        Gradient = device.Allocate<float>(perSampleGradient ? checked(host.Count * maxBatch) : host.Count);
        Velocity = device.Allocate<float>(host.Count);
    }

    public Parameter Host { get; }

    /// <summary>True when <see cref="Gradient"/> holds per-sample partials that the update sums.</summary>
    public bool PerSampleGradient { get; }

    public DeviceBuffer<float> Values { get; }

    public DeviceBuffer<float> Gradient { get; }

    public DeviceBuffer<float> Velocity { get; }

    public DeviceSlice<float> GradientFor(int batch) => Gradient.Slice(0, PerSampleGradient ? Host.Count * batch : Host.Count);

    public SgdTensor ForUpdate(int batch) => new(Values, GradientFor(batch), Velocity, PerSampleGradient ? batch : 1);

    public void Dispose()
    {
        Values.Dispose();
        Gradient.Dispose();
        Velocity.Dispose();
    }
}
