using CnnTrain.Devices;

namespace CnnTrain.Ops;

/// <summary>
/// Softmax cross-entropy per sample: writes each sample's loss and predicted class (first maximum) and, when
/// <see cref="LogitGradient"/> is not empty, the gradient of the batch-mean loss with respect to the logits.
/// With an empty <see cref="Labels"/> slice only predictions are written. Canonical order: docs/numerics.md.
/// </summary>
internal readonly record struct SoftmaxCrossEntropy(
    int Batch, int Classes, DeviceSlice<float> Logits, DeviceSlice<int> Labels, DeviceSlice<float> Losses,
    DeviceSlice<int> Predictions, DeviceSlice<float> LogitGradient)
{
    /// <summary>Checks the arguments (every label in [0, classes)), then queues the operation on <paramref name="device"/>.</summary>
    public void Run(IComputeDevice device)
    {
        SliceChecks.Batch(Batch);
        if (Classes < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(Classes), Classes, "Softmax cross-entropy needs at least 2 classes.");
        }

        SliceChecks.Slice(device, Logits, (long)Batch * Classes, nameof(Logits));
        SliceChecks.Optional(device, Labels, Batch, nameof(Labels));
        SliceChecks.Optional(device, Predictions, Batch, nameof(Predictions));
        if (Labels.IsEmpty && !(Losses.IsEmpty && LogitGradient.IsEmpty))
        {
            throw new ArgumentException("Losses and logit gradients need labels.", nameof(Labels));
        }

        SliceChecks.Optional(device, Losses, Batch, nameof(Losses));
        SliceChecks.Optional(device, LogitGradient, (long)Batch * Classes, nameof(LogitGradient));
        if (!Labels.IsEmpty)
        {
            SliceChecks.Indices(Labels, Classes, $"softmax cross-entropy over {Classes} classes", nameof(Labels));
        }

        SliceChecks.WritesIndices(Predictions);
        DeviceOps.Run(device, this, SoftmaxCrossEntropyReference.Run, SoftmaxCrossEntropySimd.Run, SoftmaxCrossEntropyCuda.Run);
    }
}
