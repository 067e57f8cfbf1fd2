using CnnTrain.Devices;
using CnnTrain.Ops;

namespace CnnTrain.Optimizers;

/// <summary>
/// One parameter tensor of an update: its values, its gradient (the <see cref="Partials"/>, which the update reduces
/// to the batch gradient first: <see cref="GradientSum"/>) and the optimizer's state tensors.
/// </summary>
internal readonly record struct UpdateTensor(DeviceSlice<float> Values, DeviceSlice<float> Gradient, BatchPartials Partials, DeviceSlice<float>[] State)
{
    /// <summary>The checks every optimizer's update makes of its arguments, written once.</summary>
    public static void Check(
        IComputeDevice device, UpdateTensor[] tensors, int stateTensors, DeviceSlice<float> stepScalars, int scalarsPerStep, DeviceSlice<int> guard)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        SliceChecks.Slice(device, stepScalars, scalarsPerStep, nameof(stepScalars));
        SliceChecks.Optional(device, guard, 1, nameof(guard));
        for (int i = 0; i < tensors.Length; i++)
        {
            UpdateTensor t = tensors[i];
            SliceChecks.Owned(device, t.Values, $"tensors[{i}].Values");
            if (!t.Partials.IsValid)
            {
                throw new ArgumentOutOfRangeException(
                    nameof(tensors), t.Partials, $"tensors[{i}] has {t.Partials}; it needs at least 1 partial, and 1 or {Numerics.BatchTree.BatchChunk} per chunk.");
            }

            SliceChecks.Slice(device, t.Gradient, (long)t.Values.Length * t.Partials.Count, $"tensors[{i}].Gradient");
            if (t.State is null || t.State.Length != stateTensors)
            {
                throw new ArgumentException($"tensors[{i}] has {t.State?.Length ?? 0} state tensors; this optimizer keeps {stateTensors}.", nameof(tensors));
            }

            for (int s = 0; s < stateTensors; s++)
            {
                SliceChecks.Slice(device, t.State[s], t.Values.Length, $"tensors[{i}].State[{s}]");
            }
        }
    }
}
