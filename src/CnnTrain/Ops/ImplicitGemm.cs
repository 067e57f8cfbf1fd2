using CnnTrain.Devices.Cuda;
using CnnTrain.Devices.Cuda.Interop;

namespace CnnTrain.Ops;

/// <summary>
/// The host side of kernels/common/implicit_gemm.cuh for one problem: its entry points (one per tile shape, named
/// <c>{name}_m{rows}_n{columns}</c>), the tile a problem's shape gets, and the launch.
/// </summary>
internal sealed class ImplicitGemm
{
    /// <summary>The threads of a GEMM block (GEMM_THREADS).</summary>
    private const uint Threads = 128;

    /// <summary>
    /// Blocks below which a GEMM takes narrower tiles: about four per multiprocessor of a large GPU. (Two measured
    /// slower on the H200: mnist-example's epoch 482 against 436 ms at batch 100, cifar's 810 against 777.)
    /// </summary>
    private const long TargetBlocks = 528;

    private static readonly (int Rows, int Columns)[] TileShapes = [(64, 128), (32, 128), (16, 128), (64, 32), (32, 32), (16, 32)];

    private readonly CudaKernelName[] _kernels;

    /// <summary>Names the entry points of problem <paramref name="name"/> in kernels/<paramref name="module"/>.cu.</summary>
    public ImplicitGemm(string module, string name) =>
        _kernels = [.. TileShapes.Select(t => new CudaKernelName(module, $"{name}_m{t.Rows}_n{t.Columns}"))];

    /// <summary>Every tile shape a problem has an entry point for.</summary>
    public static IReadOnlyList<(int Rows, int Columns)> Tiles => TileShapes;

    /// <summary>
    /// The tile of a problem with <paramref name="rows"/> rows and <paramref name="columns"/> columns for each of
    /// <paramref name="z"/> instances: rows in the smallest of 16, 32 and 64 that holds them (64 for more), so layers with
    /// few filters or channels waste little of a tile; 128 columns, or 32 when the problem has few columns or 128-wide
    /// tiles would leave the GPU's multiprocessors with less than about four blocks each.
    /// </summary>
    public static (int Rows, int Columns) Tile(int rows, long columns, int z)
    {
        int bm = rows > 32 ? 64 : rows > 16 ? 32 : 16;
        long wideBlocks = ((columns + 127) / 128) * z * ((rows + bm - 1) / bm);
        return (bm, columns <= 64 || wideBlocks < TargetBlocks ? 32 : 128);
    }

    /// <summary>The grid: column tiles times <paramref name="z"/> along x, row tiles along y.</summary>
    public static (uint X, uint Y, uint Z) Grid((int Rows, int Columns) tile, int rows, long columns, int z)
    {
        long tiles = ((columns + tile.Columns - 1) / tile.Columns) * z;
        if (tiles > int.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(columns), columns, "The batch is too large for one GPU launch; use a smaller batch.");
        }

        return ((uint)tiles, (uint)((rows + tile.Rows - 1) / tile.Rows), 1);
    }

    /// <summary>Queues the problem on the tile its shape gets, or on <paramref name="forced"/> (tests run every shape).</summary>
    public void Launch(CudaDevice cuda, int rows, long columns, int z, (int Rows, int Columns)? forced, scoped ref KernelArguments args)
    {
        (int Rows, int Columns) tile = forced ?? Tile(rows, columns, z);
        int i = Array.IndexOf(TileShapes, tile);
        if (i < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(forced), tile, "No GEMM entry point has this tile.");
        }

        cuda.Launch(_kernels[i], Grid(tile, rows, columns, z), (Threads, 1, 1), ref args);
    }
}
