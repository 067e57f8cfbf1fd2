using CnnTrain.Devices.Cpu;

namespace CnnTrain.Ops;

/// <summary>
/// Softmax cross-entropy on all cores: samples spread over the threads, each in the reference's order. Its cost
/// (a few operations per class) is small beside the layers, so the per-sample arithmetic stays scalar.
/// </summary>
internal static class SoftmaxCrossEntropySimd
{
    private const int SamplesPerTask = 64;

    public static void Run(CpuDevice cpu, in SoftmaxCrossEntropy op)
    {
        SoftmaxCrossEntropy arguments = op;
        cpu.For((op.Batch + SamplesPerTask - 1) / SamplesPerTask, t =>
        {
            int end = Math.Min(arguments.Batch, (t + 1) * SamplesPerTask);
            for (int n = t * SamplesPerTask; n < end; n++)
            {
                SoftmaxCrossEntropyReference.Sample(arguments, n);
            }
        });
    }
}
