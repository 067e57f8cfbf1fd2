using CnnTrain.Devices.Cpu;
using CnnTrain.Numerics;

namespace CnnTrain.Ops;

/// <summary>The dense block in plain loops: the canonical order of docs/numerics.md, "Dense block".</summary>
internal static class DenseReference
{
    public static void Forward(CpuDevice cpu, in DenseForward op) => Forward(
        op.Geometry, op.Batch, CpuDevice.Span(op.Input), CpuDevice.Span(op.Weights), CpuDevice.Span(op.Bias), CpuDevice.Span(op.Output));

    public static void Backward(CpuDevice cpu, in DenseBackward op) => Backward(
        op.Geometry, op.Batch, CpuDevice.Span(op.Input), CpuDevice.Span(op.Weights), CpuDevice.Span(op.Output), CpuDevice.Span(op.OutputGradient),
        CpuDevice.Span(op.WeightGradient), CpuDevice.Span(op.BiasGradient), CpuDevice.Span(op.InputGradient));

    /// <summary>y[n, o] = act(dot32(W[o, :], x[n, :]) + b[o]).</summary>
    public static void Forward(in DenseDescriptor d, int batch, ReadOnlySpan<float> input, ReadOnlySpan<float> weights, ReadOnlySpan<float> bias, Span<float> output)
    {
        for (int n = 0; n < batch; n++)
        {
            ReadOnlySpan<float> x = input.Slice(n * d.Inputs, d.Inputs);
            for (int o = 0; o < d.Outputs; o++)
            {
                float z = Dot32.Scalar(weights.Slice(o * d.Inputs, d.Inputs), x) + bias[o];
                output[(n * d.Outputs) + o] = d.Activation == Activation.Relu && !(z > 0f) ? 0f : z;
            }
        }
    }

    /// <summary>
    /// dz = the activation-masked output gradient; for each chunk j of the batch (samples [16j, min(16j + 16, B))):
    /// dW[j][o, i] = fma chain from +0 over n ascending in the chunk of dz[n, o] x[n, i] and db[j][o] = sum from +0 over
    /// n ascending in the chunk of dz[n, o]; dx[n, i] = fma chain from +0 over o ascending of W[o, i] dz[n, o].
    /// </summary>
    public static void Backward(
        in DenseDescriptor d, int batch, ReadOnlySpan<float> input, ReadOnlySpan<float> weights, ReadOnlySpan<float> output,
        ReadOnlySpan<float> outputGradient, Span<float> weightGradient, Span<float> biasGradient, Span<float> inputGradient)
    {
        var dz = new float[batch * d.Outputs];
        for (int i = 0; i < dz.Length; i++)
        {
            dz[i] = d.Activation == Activation.Relu && !(output[i] > 0f) ? 0f : outputGradient[i];
        }

        for (int j = 0; j < BatchTree.Chunks(batch); j++)
        {
            (int n0, int n1) = BatchTree.Samples(j, batch);
            for (int o = 0; o < d.Outputs; o++)
            {
                for (int i = 0; i < d.Inputs; i++)
                {
                    float acc = 0f;
                    for (int n = n0; n < n1; n++)
                    {
                        acc = MathF.FusedMultiplyAdd(dz[(n * d.Outputs) + o], input[(n * d.Inputs) + i], acc);
                    }

                    weightGradient[(j * d.WeightCount) + (o * d.Inputs) + i] = acc;
                }

                float sum = 0f;
                for (int n = n0; n < n1; n++)
                {
                    sum += dz[(n * d.Outputs) + o];
                }

                biasGradient[(j * d.Outputs) + o] = sum;
            }
        }

        if (inputGradient.IsEmpty)
        {
            return;
        }

        for (int n = 0; n < batch; n++)
        {
            for (int i = 0; i < d.Inputs; i++)
            {
                float acc = 0f;
                for (int o = 0; o < d.Outputs; o++)
                {
                    acc = MathF.FusedMultiplyAdd(weights[(o * d.Inputs) + i], dz[(n * d.Outputs) + o], acc);
                }

                inputGradient[(n * d.Inputs) + i] = acc;
            }
        }
    }
}
