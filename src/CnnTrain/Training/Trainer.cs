using System.Diagnostics;
using CnnTrain.Data;
using CnnTrain.Devices;
using CnnTrain.Execution;
using CnnTrain.Persistence;
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
    private readonly ILogger _logger;
    private readonly List<EpochMetrics> _history = [];
    private readonly float[][][] _state; // [parameter][state tensor]: the optimizer's state as of the last completed epoch
    private readonly float[][] _scratchValues; // an epoch's parameters, read back here until they prove finite
    private readonly float[][][] _scratchState; // likewise its optimizer state; swapped with _state when committed
    private readonly float[][] _scratchStatistics; // likewise the layers' running statistics
    private readonly DatasetCache _datasets;
    private DeviceNetwork? _network;
    private int _running;
    private bool _disposed;

    /// <summary>Binds <paramref name="network"/> to <paramref name="device"/>; device memory is taken when training or evaluation needs it.</summary>
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
        _datasets = new DatasetCache(device);
        _state = [.. network.Parameters.Select(p => Enumerable.Range(0, Options.Optimizer.StateTensors).Select(_ => new float[p.Count]).ToArray())];
        _scratchState = [.. _state.Select(p => p.Select(t => new float[t.Length]).ToArray())];
        _scratchValues = [.. network.Parameters.Select(p => new float[p.Count])];
        _scratchStatistics = [.. network.Layers.SelectMany(l => l.Statistics).Select(s => new float[s.Values.Length])];
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
    /// Trains for <paramref name="epochs"/> more epochs, evaluating on <paramref name="test"/> after each when given (and on
    /// the validation share of <paramref name="train"/> when <see cref="TrainerOptions.ValidationFraction"/> is set), and
    /// returns once training ends; <see cref="FitEpochs(Dataset, Dataset?, int, IProgress{TrainingProgress}?, CancellationToken)"/>
    /// is the same training yielding each epoch as it ends.
    /// Cancelling abandons the epoch under way: the network and the optimizer's state stay as the last completed epoch
    /// left them, so a later call continues exactly as if the abandoned epoch had never started. The call ends sooner
    /// when <see cref="TrainerOptions.EarlyStopping"/> or an <see cref="EpochCompleted"/> handler says so;
    /// <see cref="StopReason"/> tells. The device keeps the few datasets used last (see the remarks).
    /// </summary>
    /// <remarks>
    /// A loss or parameter that is not finite abandons the epoch the same way and throws
    /// <see cref="TrainingDivergedException"/>, never checked per step: on a device that runs work as it is queued (the
    /// CPU devices) the losses are checked after each progress piece (20 an epoch by default), on an asynchronous device
    /// (CUDA) once the epoch is done; the parameters and optimizer state at the epoch's end. With
    /// <see cref="TrainerOptions.SkipNonFiniteSteps"/> such steps are skipped instead.
    /// </remarks>
    /// <returns>The metrics of the epochs this call completed.</returns>
    /// <exception cref="ArgumentException">A dataset does not fit the network, or early stopping watches a set the call lacks.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    /// <exception cref="TrainingDivergedException">A loss or parameter stopped being finite.</exception>
    /// <exception cref="InvalidOperationException">This trainer is already running, or another trainer is running on the device.</exception>
    public IReadOnlyList<EpochMetrics> Fit(
        Dataset train, Dataset? test = null, int epochs = 1, IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default) =>
        [.. FitEpochs(train, test, epochs, progress, cancellationToken)];

    /// <summary>
    /// Trains for <paramref name="epochs"/> more epochs on <see cref="TrainingSets.Train"/>, evaluating the validation set
    /// (given, or the <see cref="TrainerOptions.ValidationFraction"/> share of the training set, split with the trainer's
    /// seed) and the test set after each, as <see cref="Fit(Dataset, Dataset?, int, IProgress{TrainingProgress}?, CancellationToken)"/> does.
    /// Early stopping and its best weights read the set <see cref="EarlyStopping.Metric"/> names; the test set is only evaluated
    /// unless a test metric is chosen.
    /// </summary>
    /// <returns>The metrics of the epochs this call completed, with <see cref="EpochMetrics.Validation"/> set when there is a validation set.</returns>
    /// <exception cref="ArgumentException">A dataset does not fit the network, a validation set is given while the options ask for a split, or early stopping watches a set the call lacks.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    /// <exception cref="TrainingDivergedException">A loss or parameter stopped being finite.</exception>
    /// <exception cref="InvalidOperationException">This trainer is already running, or another trainer is running on the device.</exception>
    public IReadOnlyList<EpochMetrics> Fit(TrainingSets sets, int epochs, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken) =>
        [.. FitEpochs(sets, epochs, progress, cancellationToken)];

    /// <summary>
    /// The training <see cref="Fit(Dataset, Dataset?, int, IProgress{TrainingProgress}?, CancellationToken)"/> does, one
    /// epoch at a time: each step of the enumeration trains an epoch, evaluates it, raises <see cref="EpochCompleted"/>,
    /// and yields its metrics, so a <c>foreach</c> sees every epoch as soon as it ends. Nothing trains until the
    /// enumeration starts; the arguments are checked at the call. While an enumeration is under way the trainer and the
    /// device are taken, as during <c>Fit</c>; stopping early (leaving the <c>foreach</c>) ends the training after the
    /// epoch last yielded, with <see cref="StopReason"/> <see cref="TrainingStopReason.StopRequested"/>, and frees them.
    /// </summary>
    /// <returns>A lazy sequence of the metrics of each epoch, as it completes; enumerate it once.</returns>
    /// <exception cref="ArgumentException">A dataset does not fit the network, or early stopping watches a set the call lacks.</exception>
    /// <exception cref="OperationCanceledException">While enumerating: <paramref name="cancellationToken"/> was cancelled.</exception>
    /// <exception cref="TrainingDivergedException">While enumerating: a loss or parameter stopped being finite.</exception>
    /// <exception cref="InvalidOperationException">When enumeration starts: this trainer is already running, or another trainer is running on the device.</exception>
    public IEnumerable<EpochMetrics> FitEpochs(
        Dataset train, Dataset? test = null, int epochs = 1, IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(train);
        return FitEpochs(new TrainingSets(train, null, test), epochs, progress, cancellationToken);
    }

    /// <summary>
    /// The training <see cref="Fit(TrainingSets, int, IProgress{TrainingProgress}?, CancellationToken)"/> does, one epoch
    /// at a time, as <see cref="FitEpochs(Dataset, Dataset?, int, IProgress{TrainingProgress}?, CancellationToken)"/> yields it.
    /// </summary>
    /// <returns>A lazy sequence of the metrics of each epoch, as it completes, with <see cref="EpochMetrics.Validation"/> set when there is a validation set.</returns>
    /// <exception cref="ArgumentException">A dataset does not fit the network, a validation set is given while the options ask for a split, or early stopping watches a set the call lacks.</exception>
    /// <exception cref="OperationCanceledException">While enumerating: <paramref name="cancellationToken"/> was cancelled.</exception>
    /// <exception cref="TrainingDivergedException">While enumerating: a loss or parameter stopped being finite.</exception>
    /// <exception cref="InvalidOperationException">When enumeration starts: this trainer is already running, or another trainer is running on the device.</exception>
    public IEnumerable<EpochMetrics> FitEpochs(TrainingSets sets, int epochs, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentNullException.ThrowIfNull(sets);
        ArgumentOutOfRangeException.ThrowIfLessThan(epochs, 1);
        (Dataset train, Dataset? validation) = TrainAndValidation(sets);
        Dataset? test = sets.Test;
        if (test is not null)
        {
            CheckFits(test, nameof(test));
        }

        CheckEarlyStoppingHasItsSet(validation, test);
        return Epochs(train, validation, test, epochs, progress, cancellationToken);
    }

    /// <summary>Loss, accuracy and predictions of the current network on <paramref name="data"/>.</summary>
    /// <exception cref="InvalidOperationException">This trainer is already running, or another trainer is running on the device.</exception>
    public EvaluationResult Evaluate(Dataset data)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentNullException.ThrowIfNull(data);
        CheckFits(data, nameof(data));
        using Running running = Run();
        DeviceNetwork network = NetworkFor(data.Count);
        network.UploadParameters();
        return EvaluateOnDevice(network, data);
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
        _datasets.Dispose();
        _network?.Dispose();
    }

    // The enumeration FitEpochs returns. The device is taken from the first MoveNext to the enumerator's disposal, so a
    // sequence never enumerated takes nothing; disposed while suspended at a yield, the caller stopped early.
    private IEnumerable<EpochMetrics> Epochs(
        Dataset train, Dataset? validation, Dataset? test, int epochs, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        using Running running = Run();
        StopReason = TrainingStopReason.None;
        DeviceNetwork network = NetworkFor(Math.Max(train.Count, Math.Max(test?.Count ?? 0, validation?.Count ?? 0)));
        network.UploadParameters();
        DatasetCache.Entry data = _datasets.Get(train);
        network.Mode = NetworkMode.Training; // recorded into the epoch's programs, which keep it
        EpochPlan plan = data.Epoch ??= new EpochPlan(network, data.Uploaded, Options);
        int finalEpoch = EpochsCompleted + epochs;
        bool suspended = false;
        try
        {
            while (EpochsCompleted < finalEpoch)
            {
                Augment(data, EpochsCompleted);
                EpochMetrics metrics = RunEpoch(network, plan, finalEpoch, progress, cancellationToken);
                EvaluationResult? validated = validation is null ? null : EvaluateOnDevice(network, validation);
                EvaluationResult? evaluation = test is null ? null : EvaluateOnDevice(network, test);
                metrics = metrics with { Validation = validated, Test = evaluation };
                _history.Add(metrics);
                LogEpoch(metrics, finalEpoch);
                bool stops = StopsAfter(metrics, finalEpoch);
                if (!stops && EpochsCompleted == finalEpoch)
                {
                    StopReason = TrainingStopReason.Finished;
                }

                suspended = true;
                yield return metrics;
                suspended = false;
                if (stops)
                {
                    yield break;
                }
            }
        }
        finally
        {
            if (suspended && StopReason == TrainingStopReason.None)
            {
                StopReason = TrainingStopReason.StopRequested;
            }
        }
    }

    private EvaluationResult EvaluateOnDevice(DeviceNetwork network, Dataset data)
    {
        var clock = Stopwatch.StartNew();
        DatasetCache.Entry entry = _datasets.Get(data);
        network.Mode = NetworkMode.Evaluation;
        Unaugment(entry);
        EvaluationPlan plan = entry.Evaluation ??= new EvaluationPlan(network, entry.Uploaded, Options.BatchSize);
        plan.Run();
        var losses = new float[data.Count];
        var predictions = new int[data.Count];
        Device.Download<float>(plan.Data.Losses, losses);
        Device.Download<int>(plan.Data.Predictions, predictions);
        return new EvaluationResult(Mean(losses), Accuracy(predictions, data.Labels.Span), predictions, clock.Elapsed);
    }

    // The training plan, for batches of up to the batch size or the samples at hand, whichever is fewer: device memory
    // grows with the data a call brings, never with a batch size larger than any dataset. A larger need re-plans; a
    // new plan gets the optimizer's state here and the parameters from the caller, which uploads them on every call.
    private DeviceNetwork NetworkFor(int samples)
    {
        int needed = Math.Min(Options.BatchSize, samples);
        if (_network is { } kept && kept.MaxBatch >= needed)
        {
            return kept;
        }

        _datasets.ReleasePrograms();
        _network?.Dispose();
        _network = null;
        try
        {
            _network = new DeviceNetwork(Network, Device, needed, training: true, Options.Optimizer);
        }
        catch (OverflowException)
        {
            throw new ArgumentOutOfRangeException(
                nameof(TrainerOptions.BatchSize), Options.BatchSize,
                $"Batches of {needed} samples of this network need more elements in one device buffer than a buffer holds ({int.MaxValue}); lower the batch size.");
        }

        _network.UploadState(_state);
        return _network;
    }

    private Running Run()
    {
        if (Interlocked.Exchange(ref _running, 1) == 1)
        {
            throw new InvalidOperationException("This trainer is already running Fit or Evaluate; a trainer runs one call at a time.");
        }

        try
        {
            return new Running(this, DeviceClaims.Acquire(Device, this));
        }
        catch
        {
            Volatile.Write(ref _running, 0);
            throw;
        }
    }

    private EpochMetrics RunEpoch(DeviceNetwork network, EpochPlan plan, int finalEpoch, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken)
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

        var losses = new float[count];
        var markers = new List<(IDeviceMarker Marker, int EndStep)>();
        int reported = 0, read = 0;
        try
        {
            // A device that runs work as it is queued (the CPU devices) has finished a piece by the time its
            // marker comes back, so its losses, progress and cancellation are handled between pieces while queuing;
            // a device that queues asynchronously gets the whole epoch queued first and is followed through its
            // markers, its losses read once at the end: a read while later pieces are queued would wait for them
            // too, and the device would fall idle between pieces.
            foreach ((IDeviceMarker Marker, int EndStep) piece in plan.Queue(order, scalars, Shuffler.MaskSource(Options.Seed, EpochsCompleted)))
            {
                markers.Add(piece);
                for (; reported < markers.Count && markers[reported].Marker.IsReached; reported++)
                {
                    read = ReadLosses(plan, losses, read, markers[reported].EndStep, epoch);
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

        ReadLosses(plan, losses, read, plan.Steps, epoch);
        var predictions = new int[count];
        var labels = new int[count];
        Device.Download<int>(plan.Data.Predictions, predictions);
        Device.Download<int>(plan.OrderedLabels, labels);
        CommitIfFinite(network, epoch);
        TimeSpan elapsed = clock.Elapsed;
        EpochsCompleted = epoch;
        StepsCompleted += plan.Steps;
        float[] stepLosses = StepLosses(losses);
        int skipped = stepLosses.Count(l => !float.IsFinite(l));
        return new EpochMetrics(epoch, Mean(losses), Accuracy(predictions, labels), stepLosses, elapsed, null) { Samples = count, SkippedSteps = skipped };
    }

    // Reads the losses of the steps from the one after `read` to `endStep` (a piece boundary) and returns the new
    // count read. A loss that is not finite ends the run unless such steps are skipped (then the device left their
    // parameters alone, and the epoch's metrics count them).
    private int ReadLosses(EpochPlan plan, float[] losses, int read, int endStep, int epoch)
    {
        int batch = Options.BatchSize;
        int start = (int)Math.Min(losses.Length, (long)read * batch), end = (int)Math.Min(losses.Length, (long)endStep * batch);
        Span<float> range = losses.AsSpan(start, end - start);
        Device.Download(plan.Data.Losses.Slice(start, end - start), range);
        int at = Options.SkipNonFiniteSteps ? -1 : SavedValues.FirstNonFinite(range);
        if (at >= 0)
        {
            Abandon();
            throw new TrainingDivergedException(epoch, ((start + at) / batch) + 1, $"the loss of its sample {start + at + 1} is {losses[start + at]}");
        }

        return endStep;
    }

    // The epoch's parameters and optimizer state become the host's only when every value is finite.
    private void CommitIfFinite(DeviceNetwork network, int epoch)
    {
        IReadOnlyList<DeviceParameter> parameters = network.Parameters;
        float[][] values = _scratchValues;
        float[][][] state = _scratchState;
        for (int i = 0; i < parameters.Count; i++)
        {
            Device.Download<float>(parameters[i].Values, values[i]);
        }

        network.DownloadState(state);
        network.DownloadStatistics(_scratchStatistics);
        for (int i = 0; i < _scratchStatistics.Length; i++)
        {
            ThrowIfNotFinite(_scratchStatistics[i], network.Statistics[i].Name, epoch);
        }

        for (int i = 0; i < parameters.Count; i++)
        {
            string name = parameters[i].Host.Name;
            ThrowIfNotFinite(values[i], name, epoch);
            for (int t = 0; t < state[i].Length; t++)
            {
                ThrowIfNotFinite(state[i][t], $"the optimizer state {t} of {name}", epoch);
            }
        }

        for (int i = 0; i < parameters.Count; i++)
        {
            values[i].CopyTo(parameters[i].Host.Values, 0);
            (_state[i], state[i]) = (state[i], _state[i]);
        }

        for (int i = 0; i < _scratchStatistics.Length; i++)
        {
            _scratchStatistics[i].CopyTo(network.Statistics[i].Host, 0);
        }
    }

    private void ThrowIfNotFinite(float[] values, string what, int epoch)
    {
        int at = SavedValues.FirstNonFinite(values);
        if (at >= 0)
        {
            Abandon();
            throw new TrainingDivergedException(epoch, 0, $"{what}[{at}] is {values[at]} at its end");
        }
    }

    private void AbandonIfCancelled(CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            Abandon();
            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    // Puts back the state of the last completed epoch, so that nothing half-done survives a cancellation or a divergence.
    private void Abandon()
    {
        Device.Synchronize();
        _network!.UploadParameters();
        _network.UploadState(_state);
    }

    /// <summary>While it lives, the trainer runs and the device is claimed for it.</summary>
    private readonly struct Running(Trainer trainer, DeviceClaims.Claim claim) : IDisposable
    {
        public void Dispose()
        {
            claim.Dispose();
            Volatile.Write(ref trainer._running, 0);
        }
    }

    private float[] StepLosses(float[] losses)
    {
        int batch = Options.BatchSize;
        var steps = new float[EpochPlan.StepsOf(losses.Length, batch)];
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

    // The mean of the finite values (skipped steps' losses are not), in double on the host.
    private static double Mean(float[] values)
    {
        double sum = 0;
        int count = 0;
        foreach (float v in values)
        {
            if (float.IsFinite(v))
            {
                sum += v;
                count++;
            }
        }

        return count == 0 ? double.NaN : sum / count;
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
        if (m.Validation is { } validation)
        {
            LogEpochWithValidation(
                m.Epoch, finalEpoch, m.MeanLoss, m.TrainAccuracy, validation.MeanLoss, validation.Accuracy, m.Test?.Accuracy ?? double.NaN, m.TrainTime.TotalSeconds);
        }
        else if (m.Test is { } test)
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

    [LoggerMessage(EventId = 10, Level = LogLevel.Information,
        Message = "Epoch {Epoch}/{FinalEpoch}: loss {Loss:F4}, train accuracy {TrainAccuracy:P2}, validation loss {ValidationLoss:F4}, validation accuracy {ValidationAccuracy:P2}, test accuracy {TestAccuracy:P2}, {Seconds:F3} s")]
    private partial void LogEpochWithValidation(
        int epoch, int finalEpoch, double loss, double trainAccuracy, double validationLoss, double validationAccuracy, double testAccuracy, double seconds);
}
