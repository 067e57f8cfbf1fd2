using CnnTrain.Devices;

namespace CnnTrain.Execution;

/// <summary>
/// A network bound to a device for batches of up to <see cref="MaxBatch"/> samples: its stages, the
/// activations and gradients between them, and each parameter's device state. Everything is allocated
/// here, once; the step methods only queue operations.
/// </summary>
internal sealed class DeviceNetwork : IDisposable
{
    private readonly List<Stage> _stages;
    private readonly DeviceBuffer<float>[] _activations; // _activations[i] is the output of stage i
    private readonly DeviceBuffer<float>[] _gradients;   // _gradients[i] is the gradient of stage i's output
    private readonly DeviceParameter[] _parameters;

    public DeviceNetwork(Network network, IComputeDevice device, int maxBatch)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBatch, 1);
        Network = network;
        Device = device;
        MaxBatch = maxBatch;
        _stages = ExecutionPlan.CreateStages(network.Layers, device, maxBatch);
        try
        {
            _activations = [.. _stages.Select(s => device.Allocate<float>(checked(s.OutputSize * maxBatch)))];
            _gradients = [.. _stages.Select(s => device.Allocate<float>(checked(s.OutputSize * maxBatch)))];
            _parameters = [.. _stages.SelectMany(s => s.Parameters)];
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

    public IReadOnlyList<DeviceParameter> Parameters => _parameters;

    /// <summary>The logits of the last forward pass.</summary>
    public DeviceSlice<float> Logits(int batch) => _activations[^1].Slice(0, batch * Classes);

    public void Forward(int batch, DeviceSlice<float> input)
    {
        CheckBatch(batch);
        DeviceSlice<float> x = input;
        for (int i = 0; i < _stages.Count; i++)
        {
            DeviceSlice<float> y = Output(i, batch);
            _stages[i].Forward(batch, x, y);
            x = y;
        }
    }

    /// <summary>Loss, predictions and the gradient of every parameter for one batch.</summary>
    public void ForwardBackward(int batch, DeviceSlice<float> input, DeviceSlice<int> labels, DeviceSlice<float> losses, DeviceSlice<int> predictions)
    {
        Forward(batch, input);
        DeviceSlice<float> logitGradient = _gradients[^1].Slice(0, batch * Classes);
        Device.SoftmaxCrossEntropy(batch, Classes, Logits(batch), labels, losses, predictions, logitGradient);
        for (int i = _stages.Count - 1; i >= 0; i--)
        {
            Backward(i, batch, input);
        }
    }

    /// <summary>One SGD step on one batch.</summary>
    public void TrainStep(
        int batch, DeviceSlice<float> input, DeviceSlice<int> labels, DeviceSlice<float> losses, DeviceSlice<int> predictions,
        DeviceSlice<float> learningRate, float momentum, float weightDecay)
    {
        ForwardBackward(batch, input, labels, losses, predictions);
        Update(batch, learningRate, momentum, weightDecay);
    }

    /// <summary>
    /// The operations of one training step in the order a step queues them, each as an action that queues it
    /// alone, so that a profiler can time them one by one. A forward and backward pass must have run first.
    /// </summary>
    public IEnumerable<(string Name, Action Queue)> StepOperations(
        int batch, DeviceSlice<float> input, DeviceSlice<int> labels, DeviceSlice<float> losses, DeviceSlice<float> learningRate,
        float momentum, float weightDecay)
    {
        CheckBatch(batch);
        for (int i = 0; i < _stages.Count; i++)
        {
            int stage = i;
            yield return ($"{_stages[stage].Name}: forward", () => _stages[stage].Forward(batch, StageInput(stage, batch, input), Output(stage, batch)));
        }

        yield return ("softmax cross-entropy", () => Device.SoftmaxCrossEntropy(
            batch, Classes, Logits(batch), labels, losses, default, _gradients[^1].Slice(0, batch * Classes)));
        for (int i = _stages.Count - 1; i >= 0; i--)
        {
            int stage = i;
            yield return ($"{_stages[stage].Name}: backward", () => Backward(stage, batch, input));
        }

        yield return ($"sgd update ({_parameters.Length} tensors)", () => Update(batch, learningRate, momentum, weightDecay));
    }

    public void UploadParameters()
    {
        foreach (DeviceParameter p in _parameters)
        {
            Device.Upload<float>(p.Host.Values, p.Values);
        }
    }

    public void DownloadParameters()
    {
        foreach (DeviceParameter p in _parameters)
        {
            Device.Download<float>(p.Values, p.Host.Values);
        }
    }

    /// <summary>Copies the batch's reduced gradients into the host parameters (summing per-sample partials on the host in canonical order).</summary>
    public void DownloadGradients(int batch)
    {
        foreach (DeviceParameter p in _parameters)
        {
            float[] raw = new float[p.GradientFor(batch).Length];
            Device.Download(p.GradientFor(batch), raw);
            int partials = p.PerSampleGradient ? batch : 1;
            int count = p.Host.Count;
            for (int i = 0; i < count; i++)
            {
                float g = 0f;
                for (int k = 0; k < partials; k++)
                {
                    g += raw[(k * count) + i];
                }

                p.Host.Gradient[i] = g;
            }
        }
    }

    public void DownloadVelocities(IList<float[]> destination)
    {
        for (int i = 0; i < _parameters.Length; i++)
        {
            Device.Download<float>(_parameters[i].Velocity, destination[i]);
        }
    }

    public void UploadVelocities(IReadOnlyList<float[]> source)
    {
        for (int i = 0; i < _parameters.Length; i++)
        {
            Device.Upload<float>(source[i], _parameters[i].Velocity);
        }
    }

    public void Dispose()
    {
        foreach (Stage s in _stages)
        {
            s.Dispose();
        }

        foreach (DeviceBuffer<float> b in (_activations ?? []).Concat(_gradients ?? []))
        {
            b?.Dispose();
        }
    }

    private DeviceSlice<float> Output(int stage, int batch) => _activations[stage].Slice(0, batch * _stages[stage].OutputSize);

    private DeviceSlice<float> StageInput(int stage, int batch, DeviceSlice<float> input) => stage == 0 ? input : Output(stage - 1, batch);

    private void Backward(int stage, int batch, DeviceSlice<float> input)
    {
        DeviceSlice<float> inputGradient = stage == 0 ? default : _gradients[stage - 1].Slice(0, batch * _stages[stage].InputSize);
        _stages[stage].Backward(
            batch, StageInput(stage, batch, input), Output(stage, batch), _gradients[stage].Slice(0, batch * _stages[stage].OutputSize), inputGradient);
    }

    private void Update(int batch, DeviceSlice<float> learningRate, float momentum, float weightDecay)
    {
        var tensors = new SgdTensor[_parameters.Length];
        for (int i = 0; i < tensors.Length; i++)
        {
            tensors[i] = _parameters[i].ForUpdate(batch);
        }

        Device.SgdUpdate(tensors, learningRate, momentum, weightDecay);
    }

    private void CheckBatch(int batch)
    {
        if (batch < 1 || batch > MaxBatch)
        {
            throw new ArgumentOutOfRangeException(nameof(batch), batch, $"The batch must hold 1 to {MaxBatch} samples.");
        }
    }
}
