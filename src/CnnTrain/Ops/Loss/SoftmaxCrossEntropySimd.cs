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
        cpu.ForRanges(op.Batch, SamplesPerTask, (start, end) =>
        {
            for (int n = start; n < end; n++)
            {
                SoftmaxCrossEntropyReference.Sample(arguments, n);
            }
        });
    }
}
