using CnnTrain.Devices;

namespace CnnTrain.Ops;

/// <summary>
/// The forward pass of a convolution block: convolution plus bias, activation, and max pool when the descriptor
/// has one. For a pooled block, <see cref="PoolIndices"/> receives, per output element, the position (within its
/// channel plane) of the convolution output that won the window. Canonical order: docs/numerics.md, "Convolution block".
/// <see cref="Scratch"/> is optional working memory of <c>Batch × ConvolutionSize</c> floats that a device may use
/// (the GPU's pooled blocks do; without it they allocate for the call).
/// </summary>
internal readonly record struct ConvolutionForward(
    Convolution2DDescriptor Geometry, int Batch, DeviceSlice<float> Input, DeviceSlice<float> Weights,
    DeviceSlice<float> Bias, DeviceSlice<float> Output, DeviceSlice<int> PoolIndices, DeviceSlice<float> Scratch = default)
{
    /// <summary>Checks the arguments, then queues the operation on <paramref name="device"/>.</summary>
    public void Run(IComputeDevice device)
    {
        Convolution2DDescriptor d = Geometry;
        SliceChecks.Batch(Batch);
        SliceChecks.Slice(device, Input, (long)Batch * d.InputSize, nameof(Input));
        SliceChecks.Slice(device, Weights, d.WeightCount, nameof(Weights));
        SliceChecks.Slice(device, Bias, d.Filters, nameof(Bias));
        SliceChecks.Slice(device, Output, (long)Batch * d.OutputSize, nameof(Output));
        ConvolutionChecks.PoolIndices(device, d, Batch, PoolIndices);
        SliceChecks.WritesIndices(PoolIndices);
        SliceChecks.Optional(device, Scratch, (long)Batch * d.ConvolutionSize, nameof(Scratch));
        DeviceOps.Run(device, this, ConvolutionReference.Forward, ConvolutionSimd.Forward, ConvolutionCuda.Forward);
    }
}
