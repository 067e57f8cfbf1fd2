using CnnTrain.Devices;

namespace CnnTrain.Ops;

/// <summary>
/// Batch normalisation in training: the batch's mean, inverse root of the biased variance and unbiased variance per
/// channel into <see cref="Statistics"/> (3 × channels: mean, then inv, then unbiased variance), per-sample sums in
/// <see cref="Sums"/> (batch × channels, scratch), and <c>output = fma(gamma, (x - mean) * inv, beta)</c>.
/// </summary>
internal readonly record struct BatchNormTrainingForward(
    BatchNormDescriptor Descriptor, int Batch, DeviceSlice<float> Input, DeviceSlice<float> Gamma, DeviceSlice<float> Beta,
    DeviceSlice<float> Sums, DeviceSlice<float> Statistics, DeviceSlice<float> Output)
{
    /// <summary>Checks the arguments, then queues the operation on <paramref name="device"/>.</summary>
    /// <exception cref="ArgumentException">The batch holds one value per channel: its unbiased variance is undefined.</exception>
    public void Run(IComputeDevice device)
    {
        BatchNormDescriptor d = Descriptor;
        SliceChecks.Batch(Batch);
        if ((long)Batch * d.Positions < 2)
        {
            throw new ArgumentException(
                $"Batch normalisation in training needs more than one value per channel; a batch of {Batch} sample(s) of {d.Positions} position(s) has {(long)Batch * d.Positions}.",
                nameof(Batch));
        }

        SliceChecks.Slice(device, Input, (long)Batch * d.Size, nameof(Input));
        SliceChecks.Slice(device, Gamma, d.Channels, nameof(Gamma));
        SliceChecks.Slice(device, Beta, d.Channels, nameof(Beta));
        SliceChecks.Slice(device, Sums, (long)Batch * d.Channels, nameof(Sums));
        SliceChecks.Slice(device, Statistics, 3L * d.Channels, nameof(Statistics));
        SliceChecks.Slice(device, Output, (long)Batch * d.Size, nameof(Output));
        DeviceOps.Run(device, this, BatchNormReference.TrainingForward, BatchNormSimd.TrainingForward, BatchNormCuda.TrainingForward);
    }
}

/// <summary>Batch normalisation in evaluation: <c>output = fma(gamma, (x - runningMean) * (1 / sqrt(runningVariance + ε)), beta)</c>.</summary>
internal readonly record struct BatchNormInferenceForward(
    BatchNormDescriptor Descriptor, int Batch, DeviceSlice<float> Input, DeviceSlice<float> Gamma, DeviceSlice<float> Beta,
    DeviceSlice<float> RunningMean, DeviceSlice<float> RunningVariance, DeviceSlice<float> Output)
{
    /// <summary>Checks the arguments, then queues the operation on <paramref name="device"/>.</summary>
    public void Run(IComputeDevice device)
    {
        BatchNormDescriptor d = Descriptor;
        SliceChecks.Batch(Batch);
        SliceChecks.Slice(device, Input, (long)Batch * d.Size, nameof(Input));
        SliceChecks.Slice(device, Gamma, d.Channels, nameof(Gamma));
        SliceChecks.Slice(device, Beta, d.Channels, nameof(Beta));
        SliceChecks.Slice(device, RunningMean, d.Channels, nameof(RunningMean));
        SliceChecks.Slice(device, RunningVariance, d.Channels, nameof(RunningVariance));
        SliceChecks.Slice(device, Output, (long)Batch * d.Size, nameof(Output));
        DeviceOps.Run(device, this, BatchNormReference.InferenceForward, BatchNormSimd.InferenceForward, BatchNormCuda.InferenceForward);
    }
}

/// <summary>
/// Folds a training step's statistics into the running ones, <c>r = fma(k, r, m * batch)</c> for the mean and the
/// unbiased variance, unless <see cref="Guard"/> (when given) holds 0.
/// </summary>
internal readonly record struct BatchNormStatisticsUpdate(
    BatchNormDescriptor Descriptor, DeviceSlice<float> Statistics, DeviceSlice<float> RunningMean, DeviceSlice<float> RunningVariance, DeviceSlice<int> Guard)
{
    /// <summary>Checks the arguments, then queues the operation on <paramref name="device"/>.</summary>
    public void Run(IComputeDevice device)
    {
        BatchNormDescriptor d = Descriptor;
        SliceChecks.Slice(device, Statistics, 3L * d.Channels, nameof(Statistics));
        SliceChecks.Slice(device, RunningMean, d.Channels, nameof(RunningMean));
        SliceChecks.Slice(device, RunningVariance, d.Channels, nameof(RunningVariance));
        SliceChecks.Optional(device, Guard, 1, nameof(Guard));
        DeviceOps.Run(device, this, BatchNormReference.UpdateStatistics, BatchNormReference.UpdateStatistics, BatchNormCuda.UpdateStatistics);
    }
}

/// <summary>
/// Batch normalisation's backward pass after a training forward pass (its <see cref="Statistics"/>): the per-sample
/// partials of gamma's and beta's gradients (batch × channels each), the batch means of both in <see cref="Means"/>
/// (2 × channels: mean of dy, then mean of dy·x̂) and, when <see cref="InputGradient"/> is not empty, the input gradient.
/// </summary>
internal readonly record struct BatchNormBackward(
    BatchNormDescriptor Descriptor, int Batch, DeviceSlice<float> Input, DeviceSlice<float> Gamma, DeviceSlice<float> Statistics,
    DeviceSlice<float> OutputGradient, DeviceSlice<float> GammaPartials, DeviceSlice<float> BetaPartials, DeviceSlice<float> Means,
    DeviceSlice<float> InputGradient)
{
    /// <summary>Checks the arguments, then queues the operation on <paramref name="device"/>.</summary>
    public void Run(IComputeDevice device)
    {
        BatchNormDescriptor d = Descriptor;
        SliceChecks.Batch(Batch);
        SliceChecks.Slice(device, Input, (long)Batch * d.Size, nameof(Input));
        SliceChecks.Slice(device, Gamma, d.Channels, nameof(Gamma));
        SliceChecks.Slice(device, Statistics, 3L * d.Channels, nameof(Statistics));
        SliceChecks.Slice(device, OutputGradient, (long)Batch * d.Size, nameof(OutputGradient));
        SliceChecks.Slice(device, GammaPartials, (long)Batch * d.Channels, nameof(GammaPartials));
        SliceChecks.Slice(device, BetaPartials, (long)Batch * d.Channels, nameof(BetaPartials));
        SliceChecks.Slice(device, Means, 2L * d.Channels, nameof(Means));
        SliceChecks.Optional(device, InputGradient, (long)Batch * d.Size, nameof(InputGradient));
        DeviceOps.Run(device, this, BatchNormReference.Backward, BatchNormSimd.Backward, BatchNormCuda.Backward);
    }
}
