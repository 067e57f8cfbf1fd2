using CnnTrain.Devices.Cpu;

namespace CnnTrain.Devices.Sequential;

/// <summary>
/// The reference device: every operation in plain scalar loops on the calling thread, written to be read
/// (each op family's <c>*Reference</c> file). It defines the bits that the other devices must reproduce
/// (docs/numerics.md).
/// </summary>
public sealed class SequentialDevice : CpuDevice
{
    /// <summary>Creates the device.</summary>
    public SequentialDevice()
        : base(threads: 1, usesSimd: false)
    {
    }

    /// <inheritdoc />
    public override string Name => "sequential";
}
