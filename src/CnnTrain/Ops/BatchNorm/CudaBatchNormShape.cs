using System.Runtime.InteropServices;

namespace CnnTrain.Ops;

/// <summary>The kernels' <c>BatchNormShape</c> (kernels/batch_norm.cu): a batch's extents and float constants, passed by value.</summary>
[StructLayout(LayoutKind.Sequential)]
internal readonly struct CudaBatchNormShape
{
    public readonly int Batch, Channels, Positions;
    public readonly float Count, CountLessOne, Epsilon, Momentum, Keep;

    public CudaBatchNormShape(in BatchNormDescriptor d, int batch)
    {
        Batch = batch;
        Channels = d.Channels;
        Positions = d.Positions;
        Count = d.Count(batch);
        CountLessOne = d.CountLessOne(batch);
        Epsilon = d.Epsilon;
        Momentum = d.Momentum;
        Keep = d.Keep;
    }
}
