using System.Diagnostics;
using CnnTrain.Data;
using CnnTrain.Devices;
using CnnTrain.Execution;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CnnTrain.Training;

/// <summary>
/// Trains a <see cref="Network"/> on a device with mini-batches and an <see cref="Optimizers.Optimizer"/>. The
/// network's parameters and the optimizer's state live on the device while the trainer exists; after each epoch
/// they are copied back, so the host <see cref="Network"/> always holds the last completed epoch. Not thread-safe.
/// </summary>
public sealed partial class Trainer : IDisposable
{
    private readonly DeviceNetwork _network;
    private readonly ILogger _logger;
    private readonly List<EpochMetrics> _history = [];
    private readonly float[][][] _state; // [parameter][state tensor]: the optimizer's state as of the last completed epoch
    private readonly Dictionary<Dataset, DeviceDataset> _uploaded = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<Dataset, EpochPlan> _epochPlans = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<Dataset, EvaluationPlan> _evaluationPlans = new(ReferenceEqualityComparer.Instance);
    private bool _disposed;

    /// <summary>Binds <paramref name="network"/> to <paramref name="device"/> and copies its parameters there.</summary>
    /// <param name="network">The network to train; its parameters are updated after every epoch.</param>
    /// <param name="device">The device that runs the work; the caller keeps ownership.</param>
    /// <param name="options">Hyperparameters; the defaults when null.</param>
    /// <param name="logger">Receives a line per epoch; none when null.</param>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range; the message names it.</exception>
    public Trainer(Network network, IComputeDevice device, TrainerOptions? options = null, ILogger<Trainer>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(device);
        Options = options ?? new TrainerOptions();
        Options.Validate();
        Network = network;
        Device = device;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _network = new DeviceNetwork(network, device, Options.BatchSize, training: true, Options.Optimizer);
        _network.UploadParameters();
        _state = [.. network.Parameters.Select(p => Enumerable.Range(0, Options.Optimizer.StateTensors).Select(_ => new float[p.Count]).ToArray())];
    }

    /// <summary>The network being trained.</summary>
    public Network Network { get; }

    /// <summary>The device the trainer runs on.</summary>
    public IComputeDevice Device { get; }

    /// <summary>The hyperparameters.</summary>
    public TrainerOptions Options { get; }

    /// <summary>Epochs completed over the trainer's life; the next epoch's shuffle is drawn from this number.</summary>
    public int EpochsCompleted { get; private set; }

    /// <summary>Optimizer steps completed over the trainer's life (what Adam's bias corrections count).</summary>
    public long StepsCompleted { get; private set; }

    /// <summary>The metrics of every completed epoch.</summary>
    public IReadOnlyList<EpochMetrics> History => _history;

    /// <summary>
    /// Trains for <paramref name="epochs"/> more epochs, evaluating on <paramref name="test"/> after each when given.
    /// Cancelling abandons the epoch under way: the network and the momentum stay as the last completed epoch left them,
    /// so a later call continues exactly as if the abandoned epoch had never started. The call ends sooner when
    /// <see cref="TrainerOptions.EarlyStopping"/> or an <see cref="EpochCompleted"/> handler says so; <see cref="StopReason"/> tells.
    /// </summary>
    /// <returns>The metrics of the epochs this call completed.</returns>
    /// <exception cref="ArgumentException">A dataset does not fit the network, or early stopping is set and <paramref name="test"/> is null.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public IReadOnlyList<EpochMetrics> Fit(
        Dataset train, Dataset? test = null, int epochs = 1, IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentNullException.ThrowIfNull(train);
        ArgumentOutOfRangeException.ThrowIfLessThan(epochs, 1);
        CheckFits(train, nameof(train));
        if (test is not null)
        {
            CheckFits(test, nameof(test));
        }

        CheckEarlyStoppingHasTest(test);
        StopReason = TrainingStopReason.None;
        _network.UploadParameters();
        EpochPlan plan = EpochPlanFor(train);
        var done = new List<EpochMetrics>(epochs);
        int finalEpoch = EpochsCompleted + epochs;
        while (EpochsCompleted < finalEpoch)
        {
            EpochMetrics metrics = RunEpoch(plan, finalEpoch, progress, cancellationToken);
            EvaluationResult? evaluation = test is null ? null : Evaluate(test);
            metrics = metrics with { Test = evaluation };
            _history.Add(metrics);
            done.Add(metrics);
            LogEpoch(metrics, finalEpoch);
            if (StopsAfter(metrics, finalEpoch))
            {
                return done;
            }
        }

        StopReason = TrainingStopReason.Finished;
        return done;
    }

    /// <summary>Loss, accuracy and predictions of the current network on <paramref name="data"/>.</summary>
    public EvaluationResult Evaluate(Dataset data)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentNullException.ThrowIfNull(data);
        CheckFits(data, nameof(data));
        var clock = Stopwatch.StartNew();
        if (!_evaluationPlans.TryGetValue(data, out EvaluationPlan? plan))
        {
            plan = new EvaluationPlan(_network, Upload(data), Options.BatchSize);
            _evaluationPlans[data] = plan;
        }

        plan.Run();
        var losses = new float[data.Count];
        var predictions = new int[data.Count];
        Device.Download<float>(plan.Data.Losses, losses);
        Device.Download<int>(plan.Data.Predictions, predictions);
        return new EvaluationResult(Mean(losses), Accuracy(predictions, data.Labels.Span), predictions, clock.Elapsed);
    }

    /// <summary>
    /// Copies of the optimizer's state as of the last completed epoch: for each parameter (in
    /// <see cref="Network.Parameters"/> order) its state tensors — SGD's velocity; Adam's first and second moments.
    /// </summary>
    public IReadOnlyList<IReadOnlyList<float[]>> GetOptimizerState() => [.. _state.Select(p => (IReadOnlyList<float[]>)[.. p.Select(t => (float[])t.Clone())])];

    /// <summary>Releases the device memory the trainer allocated. The network and the device stay usable.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        foreach (IDisposable d in _epochPlans.Values.Cast<IDisposable>().Concat(_evaluationPlans.Values).Concat(_uploaded.Values))
        {
            d.Dispose();
        }

        _network.Dispose();
    }

    private EpochMetrics RunEpoch(EpochPlan plan, int finalEpoch, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        int count = plan.Data.Data.Count;
        int epoch = EpochsCompleted + 1;
        var clock = Stopwatch.StartNew();
        var order = new int[count];
        Shuffler.Fill(order, Options.Seed, EpochsCompleted, Options.Shuffle);
        var rates = new float[plan.Steps];
        Options.Schedule.Fill(rates, EpochsCompleted, Options.LearningRate);
        var scalars = new float[plan.Steps * Options.Optimizer.StepScalars];
        Options.Optimizer.FillStepScalars(rates, StepsCompleted, scalars);

        var markers = new List<(IDeviceMarker Marker, int EndStep)>();
        int reported = 0;
        try
        {
            // A device that runs work as it is queued (the CPU devices) has finished a piece by the time its
            // marker comes back, so progress and cancellation are handled between pieces while queuing; a device
            // that queues asynchronously gets the whole epoch queued first and is followed through its markers.
            foreach ((IDeviceMarker Marker, int EndStep) piece in plan.Queue(order, scalars))
            {
                markers.Add(piece);
                for (; reported < markers.Count && markers[reported].Marker.IsReached; reported++)
                {
                    progress?.Report(new TrainingProgress(epoch, finalEpoch, markers[reported].EndStep, plan.Steps));
                }

                AbandonIfCancelled(cancellationToken);
            }

            for (; reported < markers.Count; reported++)
            {
                (IDeviceMarker marker, int endStep) = markers[reported];
                while (!marker.IsReached)
                {
                    AbandonIfCancelled(cancellationToken);
                    marker.Wait();
                }

                progress?.Report(new TrainingProgress(epoch, finalEpoch, endStep, plan.Steps));
            }
        }
        finally
        {
            foreach ((IDeviceMarker marker, _) in markers)
            {
                marker.Dispose();
            }
        }

        var losses = new float[count];
        var predictions = new int[count];
        var labels = new int[count];
        Device.Download<float>(plan.Data.Losses, losses);
        Device.Download<int>(plan.Data.Predictions, predictions);
        Device.Download<int>(plan.OrderedLabels, labels);
        _network.DownloadParameters();
        _network.DownloadState(_state);
        TimeSpan elapsed = clock.Elapsed;
        EpochsCompleted = epoch;
        StepsCompleted += plan.Steps;
        return new EpochMetrics(epoch, Mean(losses), Accuracy(predictions, labels), StepLosses(losses), elapsed, null) { Samples = count };
    }

    private void AbandonIfCancelled(CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            Abandon();
            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    // Puts back the state of the last completed epoch, so that nothing half-done survives a cancellation.
    private void Abandon()
    {
        Device.Synchronize();
        _network.UploadParameters();
        _network.UploadState(_state);
    }

    private float[] StepLosses(float[] losses)
    {
        int batch = Options.BatchSize;
        var steps = new float[(losses.Length + batch - 1) / batch];
        for (int s = 0; s < steps.Length; s++)
        {
            int start = s * batch;
            int n = Math.Min(batch, losses.Length - start);
            float sum = 0f;
            for (int i = 0; i < n; i++)
            {
                sum += losses[start + i];
            }

            steps[s] = sum / n;
        }

        return steps;
    }

    private EpochPlan EpochPlanFor(Dataset train)
    {
        if (!_epochPlans.TryGetValue(train, out EpochPlan? plan))
        {
            plan = new EpochPlan(_network, Upload(train), Options);
            _epochPlans[train] = plan;
        }

        return plan;
    }

    private DeviceDataset Upload(Dataset data)
    {
        if (!_uploaded.TryGetValue(data, out DeviceDataset? uploaded))
        {
            uploaded = new DeviceDataset(Device, data);
            _uploaded[data] = uploaded;
        }

        return uploaded;
    }

    private void CheckFits(Dataset data, string name)
    {
        if (data.SampleShape != Network.InputShape)
        {
            throw new ArgumentException($"The samples have shape {data.SampleShape}; the network takes {Network.InputShape}.", name);
        }

        if (data.Classes > Network.Classes)
        {
            throw new ArgumentException($"The data has {data.Classes} classes; the network scores {Network.Classes}.", name);
        }

        if (data.Count == 0)
        {
            throw new ArgumentException("The dataset is empty.", name);
        }
    }

    private static double Mean(float[] values)
    {
        double sum = 0;
        foreach (float v in values)
        {
            sum += v;
        }

        return values.Length == 0 ? 0 : sum / values.Length;
    }

    private static double Accuracy(int[] predictions, ReadOnlySpan<int> labels)
    {
        int right = 0;
        for (int i = 0; i < predictions.Length; i++)
        {
            if (predictions[i] == labels[i])
            {
                right++;
            }
        }

        return predictions.Length == 0 ? 0 : (double)right / predictions.Length;
    }

    private void LogEpoch(EpochMetrics m, int finalEpoch)
    {
        if (m.Test is { } test)
        {
            LogEpochWithTest(m.Epoch, finalEpoch, m.MeanLoss, m.TrainAccuracy, test.Accuracy, m.TrainTime.TotalSeconds);
        }
        else
        {
            LogEpochTrainOnly(m.Epoch, finalEpoch, m.MeanLoss, m.TrainAccuracy, m.TrainTime.TotalSeconds);
        }
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information,
        Message = "Epoch {Epoch}/{FinalEpoch}: loss {Loss:F4}, train accuracy {TrainAccuracy:P2}, test accuracy {TestAccuracy:P2}, {Seconds:F3} s")]
    private partial void LogEpochWithTest(int epoch, int finalEpoch, double loss, double trainAccuracy, double testAccuracy, double seconds);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information,
        Message = "Epoch {Epoch}/{FinalEpoch}: loss {Loss:F4}, train accuracy {TrainAccuracy:P2}, {Seconds:F3} s")]
    private partial void LogEpochTrainOnly(int epoch, int finalEpoch, double loss, double trainAccuracy, double seconds);
}
