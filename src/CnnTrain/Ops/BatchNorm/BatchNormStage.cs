using CnnTrain.Devices;
using CnnTrain.Execution;

namespace CnnTrain.Ops;

/// <summary>
/// A BatchNorm2D or BatchNorm1D in a network: batch statistics in training (kept for the backward pass and the
/// running statistics' update after the step), the running statistics in evaluation.
/// </summary>
internal sealed class BatchNormStage : Stage
{
    private readonly BatchNormDescriptor _descriptor;
    private readonly DeviceParameter _gamma;
    private readonly DeviceParameter _beta;
    private readonly DeviceStatistic _runningMean;
    private readonly DeviceStatistic _runningVariance;
    private readonly DeviceBuffer<float>? _sums;       // per-sample sums of the forward pass (training)
    private readonly DeviceBuffer<float>? _batch;      // the last training pass's mean, inv and unbiased variance
    private readonly DeviceBuffer<float>? _means;      // the backward pass's means of dy and dy·x̂

    public BatchNormStage(
        StageContext context, BatchNormDescriptor descriptor, Parameter gamma, Parameter beta, (string Name, float[] Values) runningMean,
        (string Name, float[] Values) runningVariance)
        : base(context, descriptor.Size, descriptor.Size)
    {
        _descriptor = descriptor;
        IComputeDevice device = context.Device;
        var built = new List<IDisposable>();
        try
        {
            _gamma = Keep(built, new DeviceParameter(context, gamma, perSampleGradient: true));
            _beta = Keep(built, new DeviceParameter(context, beta, perSampleGradient: true));
            _runningMean = Keep(built, new DeviceStatistic(device, runningMean.Name, runningMean.Values));
            _runningVariance = Keep(built, new DeviceStatistic(device, runningVariance.Name, runningVariance.Values));
            if (context.Training)
            {
                _sums = Keep(built, device.Allocate<float>(checked(context.MaxBatch * descriptor.Channels)));
                _batch = Keep(built, device.Allocate<float>(3 * descriptor.Channels));
                _means = Keep(built, device.Allocate<float>(2 * descriptor.Channels));
            }
        }
        catch
        {
            built.ForEach(b => b.Dispose());
            throw;
        }

        Parameters = [_gamma, _beta];
        Statistics = [_runningMean, _runningVariance];
    }

    public override IReadOnlyList<DeviceParameter> Parameters { get; }

    public override IReadOnlyList<DeviceStatistic> Statistics { get; }

    public override void Forward(int batch, DeviceSlice<float> input, DeviceSlice<float> output)
    {
        if (Mode == NetworkMode.Training)
        {
            new BatchNormTrainingForward(
                _descriptor, batch, input, _gamma.Values, _beta.Values, _sums!.Slice(0, batch * _descriptor.Channels), _batch!, output).Run(Device);
        }
        else
        {
            new BatchNormInferenceForward(_descriptor, batch, input, _gamma.Values, _beta.Values, _runningMean.Values, _runningVariance.Values, output).Run(Device);
        }
    }

    public override void UpdateStatistics(DeviceSlice<int> guard) =>
        new BatchNormStatisticsUpdate(_descriptor, _batch!, _runningMean.Values, _runningVariance.Values, guard).Run(Device);

    public override void Backward(
        int batch, DeviceSlice<float> input, DeviceSlice<float> output, DeviceSlice<float> outputGradient, DeviceSlice<float> inputGradient)
    {
        RequireTraining();
        new BatchNormBackward(
            _descriptor, batch, input, _gamma.Values, _batch!, outputGradient, _gamma.GradientFor(batch), _beta.GradientFor(batch), _means!, inputGradient).Run(Device);
    }

    public override void Dispose()
    {
        base.Dispose();
        _sums?.Dispose();
        _batch?.Dispose();
        _means?.Dispose();
    }

    private static T Keep<T>(List<IDisposable> built, T item)
        where T : IDisposable
    {
        built.Add(item);
        return item;
    }
}
