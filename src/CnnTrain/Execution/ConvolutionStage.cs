using CnnTrain.Devices;
using CnnTrain.Layers;

namespace CnnTrain.Execution;

/// <summary>Conv2D, with the ReLU and MaxPool2D that follow it, as one device operation each way.</summary>
internal sealed class ConvolutionStage : Stage
{
    private readonly Convolution2DDescriptor _descriptor;
    private readonly DeviceParameter _weights;
    private readonly DeviceParameter _bias;
    private readonly DeviceBuffer<int>? _poolIndices;

    public ConvolutionStage(IComputeDevice device, int maxBatch, Conv2D convolution, Activation activation, MaxPool2D? pool)
        : this(device, maxBatch, convolution, convolution.Describe(activation, pool))
    {
    }

    private ConvolutionStage(IComputeDevice device, int maxBatch, Conv2D convolution, Convolution2DDescriptor descriptor)
        : base(device, descriptor.InputSize, descriptor.OutputSize)
    {
        _descriptor = descriptor;
        _weights = new DeviceParameter(device, convolution.Weights, perSampleGradient: true, maxBatch);
        _bias = new DeviceParameter(device, convolution.Bias, perSampleGradient: true, maxBatch);
        _poolIndices = descriptor.HasPool ? device.Allocate<int>(checked(maxBatch * descriptor.OutputSize)) : null;
        Parameters = [_weights, _bias];
    }

    public override IReadOnlyList<DeviceParameter> Parameters { get; }

    public override void Forward(int batch, DeviceSlice<float> input, DeviceSlice<float> output) =>
        Device.Convolution2DForward(_descriptor, batch, input, _weights.Values, _bias.Values, output, PoolIndices(batch));

    public override void Backward(
        int batch, DeviceSlice<float> input, DeviceSlice<float> output, DeviceSlice<float> outputGradient, DeviceSlice<float> inputGradient) =>
        Device.Convolution2DBackward(
            _descriptor, batch, input, _weights.Values, output, PoolIndices(batch), outputGradient,
            _weights.GradientFor(batch), _bias.GradientFor(batch), inputGradient);

    public override void Dispose()
    {
        base.Dispose();
        _poolIndices?.Dispose();
    }

    private DeviceSlice<int> PoolIndices(int batch) => _poolIndices is null ? default : _poolIndices.Slice(0, batch * OutputSize);
}
