using CnnTrain.Devices;
using CnnTrain.Execution;
using CnnTrain.Ops;
using MathNet.Numerics.Random;

namespace CnnTrain.Training;

/// <summary>
/// An epoch over one training set, recorded once as device programs and replayed every epoch: a shuffle
/// (gathering the set into epoch order on the device) and the steps, split into pieces so the host can
/// follow progress through markers without making the device wait.
/// </summary>
internal sealed class EpochPlan : IDisposable
{
    private readonly IComputeDevice _device;
    private readonly DeviceBuffer<int> _order;
    private readonly DeviceBuffer<float> _samples;
    private readonly DeviceBuffer<int> _labels;
    private readonly DeviceBuffer<float> _stepScalars;
    private readonly DeviceBuffer<int>? _guard;
    private readonly DeviceBuffer<int>? _masks; // the epoch's dropout masks, step after step
    private readonly int[] _hostMasks = [];
    private readonly DeviceNetwork _network;
    private readonly int _batch;
    private readonly IDeviceProgram _shuffle;
    private readonly List<(IDeviceProgram Program, int EndStep)> _pieces = [];

    public EpochPlan(DeviceNetwork network, DeviceDataset data, TrainerOptions options)
    {
        _device = network.Device;
        _network = network;
        Data = data;
        int count = data.Data.Count;
        int batch = options.BatchSize;
        _batch = batch;
        int words = network.MaskWords;
        if (words > 0)
        {
            _hostMasks = new int[checked(count * words)];
            _masks = _device.Allocate<int>(_hostMasks.Length);
        }

        Steps = StepsOf(count, batch);
        _order = _device.Allocate<int>(count);
        _samples = _device.Allocate<float>(data.Samples.Length);
        _labels = _device.Allocate<int>(count);
        int scalars = options.Optimizer.StepScalars;
        _stepScalars = _device.Allocate<float>(checked(Steps * scalars));
        _shuffle = _device.Record(() =>
        {
            new Gather<float>(data.Samples, data.SampleSize, _order, _samples).Run(_device);
            new Gather<int>(data.Labels, 1, _order, _labels).Run(_device);
        });

        int pieces = Math.Min(Steps, options.ProgressReportsPerEpoch);
        int perPiece = (Steps + pieces - 1) / pieces;
        _guard = options.SkipNonFiniteSteps ? _device.Allocate<int>(1) : null;
        for (int first = 0; first < Steps; first += perPiece)
        {
            int end = Math.Min(Steps, first + perPiece);
            int start = first;
            IDeviceProgram program = _device.Record(() =>
            {
                for (int s = start; s < end; s++)
                {
                    int offset = s * batch;
                    int n = Math.Min(batch, count - offset);
                    network.TrainStep(
                        n, _samples.Slice(offset * data.SampleSize, n * data.SampleSize), _labels.Slice(offset, n),
                        data.Losses.Slice(offset, n), data.Predictions.Slice(offset, n), _stepScalars.Slice(s * scalars, scalars),
                        _guard is null ? default : _guard.All, _masks is null ? default : _masks.Slice(offset * words, n * words));
                }
            });
            _pieces.Add((program, end));
        }
    }

    public DeviceDataset Data { get; }

    /// <summary>The steps of an epoch over <paramref name="count"/> samples: ⌈count / batch⌉, without overflow for any batch size.</summary>
    public static int StepsOf(int count, int batch) => (count / batch) + (count % batch == 0 ? 0 : 1);

    public int Steps { get; }

    /// <summary>The labels in the order of the last epoch queued.</summary>
    public DeviceBuffer<int> OrderedLabels => _labels;

    /// <summary>
    /// Queues one epoch in <paramref name="order"/> with the optimizer's scalars for each step (the learning rate and
    /// the like) and dropout masks drawn from <paramref name="masks"/>, one piece each time the result is advanced, and
    /// yields a marker after each piece. Stopping the enumeration early leaves the remaining pieces unqueued.
    /// </summary>
    public IEnumerable<(IDeviceMarker Marker, int EndStep)> Queue(int[] order, float[] stepScalars, RandomSource masks)
    {
        _device.Upload<int>(order, _order);
        _device.Upload<float>(stepScalars, _stepScalars);
        if (_masks is not null)
        {
            _network.DrawMasks(_hostMasks, order.Length, _batch, masks);
            _device.Upload<int>(_hostMasks, _masks);
        }

        _shuffle.Run();
        foreach ((IDeviceProgram program, int end) in _pieces)
        {
            program.Run();
            yield return (_device.Mark(), end);
        }
    }

    public void Dispose()
    {
        foreach ((IDeviceProgram program, _) in _pieces)
        {
            program.Dispose();
        }

        _shuffle.Dispose();
        _order.Dispose();
        _samples.Dispose();
        _labels.Dispose();
        _stepScalars.Dispose();
        _guard?.Dispose();
        _masks?.Dispose();
    }
}
