namespace CnnTrain.Devices.Cuda;

/// <summary>Grid sizes for the kernels' grid-stride loops.</summary>
internal static class LaunchShape
{
    public const uint Threads = 256;

    // Beyond this many blocks the grid-stride loops take over; more blocks only cost scheduling.
    private const long MaxBlocks = 1 << 20;

    public static (uint X, uint Y, uint Z) Blocks(long threads) =>
        ((uint)Math.Clamp((threads + Threads - 1) / Threads, 1, MaxBlocks), 1, 1);

    public static (uint X, uint Y, uint Z) Block => (Threads, 1, 1);
}
