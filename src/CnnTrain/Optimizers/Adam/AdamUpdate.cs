using CnnTrain.Devices;
using CnnTrain.Ops;

namespace CnnTrain.Optimizers;

/// <summary>
/// One Adam or AdamW step of every tensor, with this step's scalars read from <see cref="StepScalars"/> when it runs:
/// <c>a = η/(1 − β1^t)</c>, <c>s = 1/√(1 − β2^t)</c> and, for AdamW, <c>k = 1 − ηλ</c>. Canonical order
/// (docs/numerics.md, "Adam and AdamW"):
/// <code>
/// g = the partials' sum;  if Adam and λ ≠ 0: g = fma(λ, w, g);  if AdamW: w = w * k
/// m = fma(β1, m, (1 − β1) * g);  v = fma(β2, v, (1 − β2) * (g * g))
/// d = fma(sqrt(v), s, ε);  w = fma(−a, m / d, w)
/// </code>
/// </summary>
internal readonly record struct AdamUpdate(AdamRule Rule, UpdateTensor[] Tensors, DeviceSlice<float> StepScalars, DeviceSlice<int> Guard = default)
{
    /// <summary>Checks the arguments, then queues the update on <paramref name="device"/>.</summary>
    public void Run(IComputeDevice device)
    {
        UpdateTensor.Check(device, Tensors, stateTensors: 2, StepScalars, Rule.StepScalars, Guard);
        DeviceOps.Run(device, this, AdamReference.Run, AdamSimd.Run, AdamCuda.Run);
    }
}
