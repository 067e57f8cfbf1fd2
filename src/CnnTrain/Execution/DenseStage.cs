using CnnTrain.Devices;
using CnnTrain.Layers;

namespace CnnTrain.Execution;

/// <summary>Dense, with the ReLU that follows it, as one device operation each way.</summary>
internal sealed class DenseStage : Stage
{
    private readonly DenseDescriptor _descriptor;
    private readonly DeviceParameter _weights;
    private readonly DeviceParameter _bias;

    public DenseStage(IComputeDevice device, int maxBatch, Dense dense, Activation activation)
        : base(device, dense.InputShape.Size, dense.Units)
    {
        _descriptor = dense.Describe(activation);
        _weights = new DeviceParameter(device, dense.Weights, perSampleGradient: false, maxBatch);
        _bias = new DeviceParameter(device, dense.Bias, perSampleGradient: false, maxBatch);
        Parameters = [_weights, _bias];
    }

    public override IReadOnlyList<DeviceParameter> Parameters { get; }

    public override void Forward(int batch, DeviceSlice<float> input, DeviceSlice<float> output) =>
        Device.DenseForward(_descriptor, batch, input, _weights.Values, _bias.Values, output);

    public override void Backward(
        int batch, DeviceSlice<float> input, DeviceSlice<float> output, DeviceSlice<float> outputGradient, DeviceSlice<float> inputGradient) =>
        Device.DenseBackward(
            _descriptor, batch, input, _weights.Values, output, outputGradient, _weights.Gradient, _bias.Gradient, inputGradient);
}
