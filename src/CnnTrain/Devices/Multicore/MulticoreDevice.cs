using System.Runtime.Intrinsics;
using CnnTrain.Devices.Cpu;

namespace CnnTrain.Devices.Multicore;

/// <summary>
/// All CPU cores: each operation's SIMD implementation (the op families' <c>*Simd</c> files), spread over
/// threads with the TPL (across samples, or across independent outputs) and vectorised inside each thread.
/// Every output element is still computed by one chain of operations in the canonical order, so neither the
/// thread count nor the vector width changes a bit.
/// </summary>
public sealed class MulticoreDevice : CpuDevice
{
    /// <summary>Creates the device.</summary>
    /// <param name="threads">Worker threads; null for <see cref="Environment.ProcessorCount"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="threads"/> is below 1.</exception>
    public MulticoreDevice(int? threads = null)
        : base(CheckThreads(threads), usesSimd: true)
    {
    }

    /// <summary>Whether the vector paths run on hardware SIMD (else .NET emulates them, with the same results).</summary>
    public static bool IsHardwareAccelerated => Vector256.IsHardwareAccelerated;

    /// <inheritdoc />
    public override string Name => $"multicore ({Threads} threads{(IsHardwareAccelerated ? $", {(Vector512.IsHardwareAccelerated ? 512 : 256)}-bit SIMD" : string.Empty)})";

    private static int CheckThreads(int? threads) => threads switch
    {
        null => Environment.ProcessorCount,
        < 1 => throw new ArgumentOutOfRangeException(nameof(threads), threads, "A multicore device needs at least 1 thread."),
        int t => t,
    };
}
