using CnnTrain.Devices;
using CnnTrain.Execution;

namespace CnnTrain.Ops;

/// <summary>A convolution block in a network: Conv2D with the ReLU and MaxPool2D fused after it, one operation each way.</summary>
internal sealed class ConvolutionStage : Stage
{
    private readonly Convolution2DDescriptor _descriptor;
    private readonly DeviceParameter _weights;
    private readonly DeviceParameter _bias;
    private readonly DeviceBuffer<int>? _poolIndices;
    private readonly DeviceBuffer<float>? _scratch;

    public ConvolutionStage(StageContext context, Convolution2DDescriptor descriptor, Parameter weights, Parameter bias)
        : base(context, descriptor.InputSize, descriptor.OutputSize)
    {
        _descriptor = descriptor;
        _weights = new DeviceParameter(context, weights, perSampleGradient: true);
        _bias = new DeviceParameter(context, bias, perSampleGradient: true);
        _poolIndices = descriptor.HasPool ? context.Device.Allocate<int>(checked(context.MaxBatch * descriptor.OutputSize)) : null;
        long scratch = ConvolutionCuda.ScratchLength(context.Device, descriptor, context.MaxBatch);
        _scratch = scratch > 0 ? context.Device.Allocate<float>(checked((int)scratch)) : null;
        Parameters = [_weights, _bias];
    }

    public override IReadOnlyList<DeviceParameter> Parameters { get; }

    public override void Forward(int batch, DeviceSlice<float> input, DeviceSlice<float> output) =>
        new ConvolutionForward(_descriptor, batch, input, _weights.Values, _bias.Values, output, PoolIndices(batch), Scratch(batch)).Run(Device);

    public override void Backward(
        int batch, DeviceSlice<float> input, DeviceSlice<float> output, DeviceSlice<float> outputGradient, DeviceSlice<float> inputGradient)
    {
        RequireTraining();
        new ConvolutionBackward(
            _descriptor, batch, input, _weights.Values, output, PoolIndices(batch), outputGradient,
            _weights.GradientFor(batch), _bias.GradientFor(batch), inputGradient, Scratch(batch)).Run(Device);
    }

    public override void Dispose()
    {
        base.Dispose();
        _poolIndices?.Dispose();
        _scratch?.Dispose();
    }

    private DeviceSlice<int> PoolIndices(int batch) => _poolIndices is null ? default : _poolIndices.Slice(0, batch * OutputSize);

    private DeviceSlice<float> Scratch(int batch) => _scratch is null ? default : _scratch.Slice(0, batch * _descriptor.ConvolutionSize);
}
