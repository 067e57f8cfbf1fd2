using CnnTrain.Devices;
using CnnTrain.Execution;
using CnnTrain.Ops;

namespace CnnTrain.Training;

/// <summary>A forward pass over a whole labelled set, recorded once and replayed after every epoch.</summary>
internal sealed class EvaluationPlan : IDisposable
{
    private readonly IDeviceProgram _program;

    public EvaluationPlan(DeviceNetwork network, DeviceDataset data, int batch)
    {
        Data = data;
        IComputeDevice device = network.Device;
        int count = data.Data.Count;
        _program = device.Record(() =>
        {
            for (int offset = 0; offset < count; offset += batch)
            {
                int n = Math.Min(batch, count - offset);
                network.Forward(n, data.Samples.Slice(offset * data.SampleSize, n * data.SampleSize));
                new SoftmaxCrossEntropy(
                    n, network.Classes, network.Logits(n), data.Labels.Slice(offset, n), data.Losses.Slice(offset, n),
                    data.Predictions.Slice(offset, n), default).Run(device);
            }
        });
    }

    public DeviceDataset Data { get; }

    public void Run() => _program.Run();

    public void Dispose() => _program.Dispose();
}
