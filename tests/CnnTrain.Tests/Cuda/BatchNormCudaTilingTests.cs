using CnnTrain.Ops;
using FluentAssertions;
using NUnit.Framework;

namespace CnnTrain.Tests.Cuda;

/// <summary>
/// The planes per block of the CUDA per-sample sums (BatchNormCuda.PlaneRows) for the device suite's batch norm cases
/// (DeviceContract.BatchNorms), so that each case exercises the tiling its name says; runs without a GPU.
/// </summary>
public sealed class BatchNormCudaTilingTests
{
    [TestCase(300 * 145, 1, 256)]   // 1D 300 features, 145 samples
    [TestCase(3 * 145, 16, 128)]    // 2D 3x4x4, 145 samples: one full tile of 16
    [TestCase(6 * 17, 49, 32)]      // 2D 6x7x7, 17 samples: a partial tile of 49 of 64
    [TestCase(3 * 5, 1024, 8)]      // 2D 3x32x32, 5 samples: four full tiles of 256
    [TestCase(2 * 4, 300, 8)]       // 2D 2x15x20, 4 samples: a full and a partial tile
    [TestCase(64 * 3, 100, 16)]     // 2D 64x10x10, 3 samples: a partial tile of 100 of 128
    [TestCase(7, 12, 128)]          // 2D 7x3x4, 1 sample
    [TestCase(64 * 256, 1024, 32)]  // a large batch of 32x32 planes: enough blocks before the tiles grow further
    public void PlaneRows_PicksTheTestedTiling(long planes, int positions, int rows) =>
        BatchNormCuda.PlaneRows(planes, positions).Should().Be(rows);
}
