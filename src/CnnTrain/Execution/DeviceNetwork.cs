using CnnTrain.Devices;
using CnnTrain.Ops;
using CnnTrain.Optimizers;
using MathNet.Numerics.Random;

namespace CnnTrain.Execution;

/// <summary>
/// A network bound to a device for batches of up to <see cref="MaxBatch"/> samples: its stages, the activations
/// between them and each parameter's device state. Planned for training (gradients between the stages, parameter
/// gradients and the optimizer's state) or for inference only (activations and parameter values). Everything is
/// allocated here, once; the step methods only queue operations.
/// </summary>
internal sealed class DeviceNetwork : IDisposable
{
    private readonly List<Stage> _stages;
    private readonly DeviceBuffer<float>[] _activations = []; // _activations[i] is the output of stage i
    private readonly DeviceBuffer<float>[] _gradients = [];   // _gradients[i] is the gradient of stage i's output (training only)
    private readonly DeviceParameter[] _parameters = [];
    private readonly DeviceStatistic[] _statistics = [];
    private readonly Optimizer? _optimizer;
    private readonly DeviceBuffer<int>? _fixedMasks; // the masks of a training pass that is given none
    private NetworkMode _mode;

    /// <summary>
    /// Plans <paramref name="network"/> for training (gradients, and <paramref name="optimizer"/>'s state when one is
    /// given, for <see cref="TrainStep"/>) or for inference only.
    /// </summary>
    public DeviceNetwork(Network network, IComputeDevice device, int maxBatch, bool training, Optimizer? optimizer = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBatch, 1);
        Network = network;
        Device = device;
        MaxBatch = maxBatch;
        Training = training;
        _optimizer = optimizer;
        _stages = StagePlanner.Plan(network.Layers, new StageContext(device, maxBatch, training, optimizer?.StateTensors ?? 0));
        try
        {
            _activations = [.. _stages.Select(s => device.Allocate<float>(checked(s.OutputSize * maxBatch)))];
            if (training)
            {
                _gradients = [.. _stages.Select(s => device.Allocate<float>(checked(s.OutputSize * maxBatch)))];
            }

            _parameters = [.. _stages.SelectMany(s => s.Parameters)];
            _statistics = [.. _stages.SelectMany(s => s.Statistics)];
            MaskWords = _stages.Sum(s => s.MaskWords);
            Mode = training ? NetworkMode.Training : NetworkMode.Evaluation;
            if (training && MaskWords > 0)
            {
                _fixedMasks = device.Allocate<int>(checked(maxBatch * MaskWords));
                var masks = new int[_fixedMasks.Length];
                DrawMasks(masks, maxBatch, maxBatch, new Xoshiro256StarStar(FixedMaskSeed, threadSafe: false));
                device.Upload<int>(masks, _fixedMasks);
            }
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public Network Network { get; }

    public IComputeDevice Device { get; }

    public int MaxBatch { get; }

    public int Classes => Network.Classes;

    public bool Training { get; }

    public IReadOnlyList<DeviceParameter> Parameters => _parameters;

    /// <summary>The layers' running statistics on the device, in layer order.</summary>
    public IReadOnlyList<DeviceStatistic> Statistics => _statistics;

    /// <summary>The seed of the masks a training pass uses when it is given none (<see cref="Network.ComputeGradients"/>, profiling).</summary>
    public const int FixedMaskSeed = 0;

    /// <summary>The dropout mask words one sample of a training step needs, over every stage; 0 without dropout.</summary>
    public int MaskWords { get; }

    /// <summary>
    /// What the next queued forward passes compute (see <see cref="NetworkMode"/>): training for a network planned
    /// for training, until the trainer sets it; a network planned for inference only evaluates.
    /// </summary>
    /// <exception cref="InvalidOperationException">Training was asked of a network planned for inference only.</exception>
    public NetworkMode Mode
    {
        get => _mode;
        set
        {
            if (value == NetworkMode.Training)
            {
                RequireTraining();
            }

            _mode = value;
            foreach (Stage s in _stages)
            {
                s.Mode = value;
            }
        }
    }

    /// <summary>The logits of the last forward pass.</summary>
    public DeviceSlice<float> Logits(int batch) => _activations[^1].Slice(0, batch * Classes);

    /// <summary>
    /// The forward pass in <see cref="Mode"/>; a training pass reads its dropout masks from <paramref name="masks"/>
    /// (batch × <see cref="MaskWords"/>), or from masks drawn once with <see cref="FixedMaskSeed"/> when none are given.
    /// </summary>
    public void Forward(int batch, DeviceSlice<float> input, DeviceSlice<int> masks = default)
    {
        CheckBatch(batch);
        AssignMasks(batch, masks);
        for (int i = 0; i < _stages.Count; i++)
        {
            _stages[i].Forward(batch, StageInput(i, batch, input), Output(i, batch));
        }
    }

    /// <summary>Loss, predictions and the gradient of every parameter for one batch.</summary>
    public void ForwardBackward(
        int batch, DeviceSlice<float> input, DeviceSlice<int> labels, DeviceSlice<float> losses, DeviceSlice<int> predictions, DeviceSlice<int> masks = default)
    {
        RequireTrainingMode();
        Forward(batch, input, masks);
        new SoftmaxCrossEntropy(batch, Classes, Logits(batch), labels, losses, predictions, LogitGradient(batch)).Run(Device);
        for (int i = _stages.Count - 1; i >= 0; i--)
        {
            Backward(i, batch, input);
        }
    }

    /// <summary>
    /// One optimizer step on one batch, with this step's scalars (learning rate and the like) read from device memory;
    /// with a <paramref name="guard"/>, a step whose loss is not finite leaves the parameters and running statistics as
    /// they were. <paramref name="masks"/>: the step's dropout masks (see <see cref="Forward"/>).
    /// </summary>
    public void TrainStep(
        int batch, DeviceSlice<float> input, DeviceSlice<int> labels, DeviceSlice<float> losses, DeviceSlice<int> predictions,
        DeviceSlice<float> stepScalars, DeviceSlice<int> guard = default, DeviceSlice<int> masks = default)
    {
        ForwardBackward(batch, input, labels, losses, predictions, masks);
        if (!guard.IsEmpty)
        {
            new StepGuard(losses, guard).Run(Device);
        }

        foreach (Stage s in _stages)
        {
            s.UpdateStatistics(guard);
        }

        Update(batch, stepScalars, guard);
    }

    /// <summary>
    /// The operations of one training step in the order a step queues them, each as an action that queues it
    /// alone, so that a profiler can time them one by one. A forward and backward pass must have run first.
    /// </summary>
    public IEnumerable<(string Name, Action Queue)> StepOperations(
        int batch, DeviceSlice<float> input, DeviceSlice<int> labels, DeviceSlice<float> losses, DeviceSlice<float> stepScalars)
    {
        RequireTrainingMode();
        CheckBatch(batch);
        AssignMasks(batch, default);
        for (int i = 0; i < _stages.Count; i++)
        {
            int stage = i;
            yield return ($"{_stages[stage].Name}: forward", () => _stages[stage].Forward(batch, StageInput(stage, batch, input), Output(stage, batch)));
        }

        yield return ("softmax cross-entropy", () =>
            new SoftmaxCrossEntropy(batch, Classes, Logits(batch), labels, losses, default, LogitGradient(batch)).Run(Device));
        for (int i = _stages.Count - 1; i >= 0; i--)
        {
            int stage = i;
            yield return ($"{_stages[stage].Name}: backward", () => Backward(stage, batch, input));
        }

        if (_statistics.Length > 0)
        {
            yield return ($"running statistics ({_statistics.Length} tensors)", () => _stages.ForEach(s => s.UpdateStatistics(default)));
        }

        yield return ($"{_optimizer} update ({_parameters.Length} tensors)", () => Update(batch, stepScalars));
    }

    /// <summary>Copies the host's parameters and running statistics to the device.</summary>
    public void UploadParameters()
    {
        foreach (DeviceParameter p in _parameters)
        {
            Device.Upload<float>(p.Host.Values, p.Values);
        }

        foreach (DeviceStatistic s in _statistics)
        {
            Device.Upload<float>(s.Host, s.Values);
        }
    }

    /// <summary>Copies the device's parameters and running statistics to the host.</summary>
    public void DownloadParameters()
    {
        foreach (DeviceParameter p in _parameters)
        {
            Device.Download<float>(p.Values, p.Host.Values);
        }

        DownloadStatistics([.. _statistics.Select(s => s.Host)]);
    }

    /// <summary>Copies every running statistic into <paramref name="destination"/>[statistic], in <see cref="Statistics"/> order.</summary>
    public void DownloadStatistics(IReadOnlyList<float[]> destination)
    {
        for (int i = 0; i < _statistics.Length; i++)
        {
            Device.Download<float>(_statistics[i].Values, destination[i]);
        }
    }

    /// <summary>
    /// Draws the dropout masks of <paramref name="samples"/> samples taken in steps of <paramref name="batch"/> into
    /// <paramref name="words"/> (samples × <see cref="MaskWords"/>), in the order docs/numerics.md ("Dropout") fixes:
    /// step by step, each step's block holding each dropout stage's masks for the step's samples, stage after stage.
    /// </summary>
    public void DrawMasks(Span<int> words, int samples, int batch, RandomSource random)
    {
        if (words.Length != (long)samples * MaskWords)
        {
            throw new ArgumentException($"{words.Length} mask words for {samples} samples of {MaskWords} words each.", nameof(words));
        }

        for (int offset = 0; offset < samples; offset += batch)
        {
            int n = Math.Min(batch, samples - offset);
            Span<int> block = words.Slice(offset * MaskWords, n * MaskWords);
            foreach (Stage s in _stages.Where(s => s.MaskWords > 0))
            {
                s.DrawMasks(block[..(n * s.MaskWords)], n, random);
                block = block[(n * s.MaskWords)..];
            }
        }
    }

    /// <summary>Copies the batch's gradients into the host parameters, reducing the partials on the host over the batch tree.</summary>
    public void DownloadGradients(int batch)
    {
        foreach (DeviceParameter p in _parameters)
        {
            float[] raw = new float[p.GradientFor(batch).Length];
            Device.Download(p.GradientFor(batch), raw);
            BatchPartials partials = p.Partials(batch);
            float[] tree = GradientSum.Tree(partials);
            for (int i = 0; i < p.Host.Count; i++)
            {
                p.Host.Gradient[i] = GradientSum.Reference(raw, p.Host.Count, partials, i, tree);
            }
        }
    }

    /// <summary>Copies every parameter's optimizer state into <paramref name="destination"/>[parameter][tensor].</summary>
    public void DownloadState(IReadOnlyList<float[][]> destination)
    {
        for (int i = 0; i < _parameters.Length; i++)
        {
            for (int s = 0; s < _parameters[i].State.Count; s++)
            {
                Device.Download<float>(_parameters[i].State[s], destination[i][s]);
            }
        }
    }

    public void UploadState(IReadOnlyList<float[][]> source)
    {
        for (int i = 0; i < _parameters.Length; i++)
        {
            for (int s = 0; s < _parameters[i].State.Count; s++)
            {
                Device.Upload<float>(source[i][s], _parameters[i].State[s]);
            }
        }
    }

    public void Dispose()
    {
        foreach (Stage s in _stages)
        {
            s.Dispose();
        }

        foreach (DeviceBuffer<float> b in _activations.Concat(_gradients))
        {
            b?.Dispose();
        }

        _fixedMasks?.Dispose();
    }

    // Hands each dropout stage its part of the step's masks: the step's block holds the stages' masks one after another.
    private void AssignMasks(int batch, DeviceSlice<int> masks)
    {
        if (Mode != NetworkMode.Training || MaskWords == 0)
        {
            return;
        }

        if (masks.IsEmpty)
        {
            masks = _fixedMasks!.Slice(0, batch * MaskWords);
        }
        else if (masks.Length != batch * MaskWords)
        {
            throw new ArgumentException($"The masks have {masks.Length} words; a step of {batch} samples needs {batch * MaskWords}.", nameof(masks));
        }

        int offset = 0;
        foreach (Stage s in _stages.Where(s => s.MaskWords > 0))
        {
            s.Masks = masks.Slice(offset, batch * s.MaskWords);
            offset += batch * s.MaskWords;
        }
    }

    private void RequireTrainingMode()
    {
        RequireTraining();
        if (Mode != NetworkMode.Training)
        {
            throw new InvalidOperationException("A backward pass needs the network in training mode.");
        }
    }

    private DeviceSlice<float> Output(int stage, int batch) => _activations[stage].Slice(0, batch * _stages[stage].OutputSize);

    private DeviceSlice<float> StageInput(int stage, int batch, DeviceSlice<float> input) => stage == 0 ? input : Output(stage - 1, batch);

    private DeviceSlice<float> LogitGradient(int batch) => _gradients[^1].Slice(0, batch * Classes);

    private void Backward(int stage, int batch, DeviceSlice<float> input)
    {
        DeviceSlice<float> inputGradient = stage == 0 ? default : _gradients[stage - 1].Slice(0, batch * _stages[stage].InputSize);
        _stages[stage].Backward(
            batch, StageInput(stage, batch, input), Output(stage, batch), _gradients[stage].Slice(0, batch * _stages[stage].OutputSize), inputGradient);
    }

    private void Update(int batch, DeviceSlice<float> stepScalars, DeviceSlice<int> guard = default)
    {
        var tensors = new UpdateTensor[_parameters.Length];
        for (int i = 0; i < tensors.Length; i++)
        {
            DeviceParameter p = _parameters[i];
            tensors[i] = new UpdateTensor(p.Values, p.GradientFor(batch), p.Partials(batch), [.. p.State.Select(s => s.All)]);
        }

        (_optimizer ?? throw new InvalidOperationException("This network was planned without an optimizer.")).Update(Device, tensors, stepScalars, guard);
    }

    private void RequireTraining()
    {
        if (!Training)
        {
            throw new InvalidOperationException("This network was planned for inference only.");
        }
    }

    private void CheckBatch(int batch)
    {
        if (batch < 1 || batch > MaxBatch)
        {
            throw new ArgumentOutOfRangeException(nameof(batch), batch, $"The batch must hold 1 to {MaxBatch} samples.");
        }
    }
}
