using CnnTrain.Devices;
using CnnTrain.Execution;

namespace CnnTrain.Ops;

/// <summary>A dense block in a network: Dense with the ReLU fused after it, one operation each way.</summary>
internal sealed class DenseStage : Stage
{
    private readonly DenseDescriptor _descriptor;
    private readonly DeviceParameter _weights;
    private readonly DeviceParameter _bias;

    public DenseStage(StageContext context, DenseDescriptor descriptor, Parameter weights, Parameter bias)
        : base(context, descriptor.Inputs, descriptor.Outputs)
    {
        _descriptor = descriptor;
        _weights = new DeviceParameter(context, weights, perSampleGradient: false);
        _bias = new DeviceParameter(context, bias, perSampleGradient: false);
        Parameters = [_weights, _bias];
    }

    public override IReadOnlyList<DeviceParameter> Parameters { get; }

    public override void Forward(int batch, DeviceSlice<float> input, DeviceSlice<float> output) =>
        new DenseForward(_descriptor, batch, input, _weights.Values, _bias.Values, output).Run(Device);

    public override void Backward(
        int batch, DeviceSlice<float> input, DeviceSlice<float> output, DeviceSlice<float> outputGradient, DeviceSlice<float> inputGradient)
    {
        RequireTraining();
        new DenseBackward(
            _descriptor, batch, input, _weights.Values, output, outputGradient, _weights.GradientFor(batch), _bias.GradientFor(batch), inputGradient).Run(Device);
    }
}
