using CnnTrain.Devices;
using CnnTrain.Ops;

namespace CnnTrain.Optimizers;

/// <summary>
/// One SGD step of every tensor, with η read from <see cref="LearningRate"/> (one element) when the step runs.
/// Canonical order (docs/numerics.md, "SGD"): <c>g</c> = the partials' sum; <c>g = fma(λ, w, g)</c> when λ ≠ 0;
/// <c>v = fma(μ, v, g)</c>; <c>w = fma(-η, v, w)</c>, or with Nesterov <c>w = fma(-η, fma(μ, v, g), w)</c>.
/// </summary>
internal readonly record struct SgdUpdate(Sgd Settings, UpdateTensor[] Tensors, DeviceSlice<float> LearningRate, DeviceSlice<int> Guard = default)
{
    /// <summary>Checks the arguments, then queues the update on <paramref name="device"/>.</summary>
    public void Run(IComputeDevice device)
    {
        UpdateTensor.Check(device, Tensors, Settings.StateTensors, LearningRate, Settings.StepScalars, Guard);
        DeviceOps.Run(device, this, SgdReference.Run, SgdSimd.Run, SgdCuda.Run);
    }
}
