using CnnTrain.Data;
using CnnTrain.Devices;

namespace CnnTrain.Training;

/// <summary>A dataset uploaded once to a device, with the per-sample outputs a pass over it writes.</summary>
internal sealed class DeviceDataset : IDisposable
{
    public DeviceDataset(IComputeDevice device, Dataset data)
    {
        Data = data;
        SampleSize = data.SampleShape.Size;
        Samples = device.Allocate<float>(data.Samples.Length);
        Labels = device.Allocate<int>(data.Count);
        Losses = device.Allocate<float>(data.Count);
        Predictions = device.Allocate<int>(data.Count);
        device.Upload(data.Samples.Span, Samples);
        device.Upload(data.Labels.Span, Labels);
    }

    public Dataset Data { get; }

    public int SampleSize { get; }

    public DeviceBuffer<float> Samples { get; }

    public DeviceBuffer<int> Labels { get; }

    public DeviceBuffer<float> Losses { get; }

    public DeviceBuffer<int> Predictions { get; }

    public void Dispose()
    {
        Samples.Dispose();
        Labels.Dispose();
        Losses.Dispose();
        Predictions.Dispose();
    }
}
