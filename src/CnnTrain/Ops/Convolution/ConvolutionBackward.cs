using CnnTrain.Devices;

namespace CnnTrain.Ops;

/// <summary>
/// The backward pass of a convolution block. Given the gradient of the loss with respect to the block's output,
/// writes per-sample partial gradients of the weights (batch × F×C×K×K) and of the bias (batch × F), and, when
/// <see cref="InputGradient"/> is not empty, the gradient with respect to the input. <see cref="Scratch"/> is optional
/// working memory of <c>Batch × ConvolutionSize</c> floats that a device may use (the GPU forms the gradient of the
/// convolution output there; without it, it allocates for the call).
/// </summary>
internal readonly record struct ConvolutionBackward(
    Convolution2DDescriptor Geometry, int Batch, DeviceSlice<float> Input, DeviceSlice<float> Weights,
    DeviceSlice<float> Output, DeviceSlice<int> PoolIndices, DeviceSlice<float> OutputGradient,
    DeviceSlice<float> WeightPartials, DeviceSlice<float> BiasPartials, DeviceSlice<float> InputGradient,
    DeviceSlice<float> Scratch = default)
{
    /// <summary>Checks the arguments, then queues the operation on <paramref name="device"/>.</summary>
    public void Run(IComputeDevice device)
    {
        Convolution2DDescriptor d = Geometry;
        SliceChecks.Batch(Batch);
        SliceChecks.Slice(device, Input, (long)Batch * d.InputSize, nameof(Input));
        SliceChecks.Slice(device, Weights, d.WeightCount, nameof(Weights));
        SliceChecks.Slice(device, Output, (long)Batch * d.OutputSize, nameof(Output));
        ConvolutionChecks.PoolIndices(device, d, Batch, PoolIndices);
        SliceChecks.Slice(device, OutputGradient, (long)Batch * d.OutputSize, nameof(OutputGradient));
        SliceChecks.Slice(device, WeightPartials, (long)Batch * d.WeightCount, nameof(WeightPartials));
        SliceChecks.Slice(device, BiasPartials, (long)Batch * d.Filters, nameof(BiasPartials));
        SliceChecks.Optional(device, InputGradient, (long)Batch * d.InputSize, nameof(InputGradient));
        SliceChecks.Optional(device, Scratch, (long)Batch * d.ConvolutionSize, nameof(Scratch));
        DeviceOps.Run(device, this, ConvolutionReference.Backward, ConvolutionSimd.Backward, ConvolutionCuda.Backward);
    }
}

/// <summary>The checks the convolution block's operations share.</summary>
internal static class ConvolutionChecks
{
    public static void PoolIndices(IComputeDevice device, in Convolution2DDescriptor d, int batch, DeviceSlice<int> poolIndices)
    {
        if (d.HasPool)
        {
            SliceChecks.Slice(device, poolIndices, (long)batch * d.OutputSize, nameof(poolIndices));
        }
        else if (!poolIndices.IsEmpty)
        {
            throw new ArgumentException("The block has no pool, so it takes no pool indices.", nameof(poolIndices));
        }
    }
}
