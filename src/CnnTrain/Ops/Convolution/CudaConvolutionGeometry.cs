using System.Runtime.InteropServices;

namespace CnnTrain.Ops;

/// <summary>The kernels' <c>ConvGeometry</c> (kernels/convolution.cu): fifteen ints, passed by value.</summary>
[StructLayout(LayoutKind.Sequential)]
internal readonly struct CudaConvolutionGeometry
{
    public readonly int Batch, Channels, Height, Width;
    public readonly int Filters, Kernel, Stride, Padding;
    public readonly int ConvHeight, ConvWidth, Relu;
    public readonly int PoolSize, PoolStride, OutHeight, OutWidth;

    public CudaConvolutionGeometry(in Convolution2DDescriptor d, int batch)
    {
        Batch = batch;
        Channels = d.InputChannels;
        Height = d.InputHeight;
        Width = d.InputWidth;
        Filters = d.Filters;
        Kernel = d.KernelSize;
        Stride = d.Stride;
        Padding = d.Padding;
        ConvHeight = d.ConvolutionHeight;
        ConvWidth = d.ConvolutionWidth;
        Relu = d.Activation == Activation.Relu ? 1 : 0;
        PoolSize = d.PoolSize;
        PoolStride = d.PoolStride;
        OutHeight = d.OutputHeight;
        OutWidth = d.OutputWidth;
    }
}
