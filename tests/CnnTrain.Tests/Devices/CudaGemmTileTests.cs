using CnnTrain.Devices;
using CnnTrain.Devices.Cuda;
using CnnTrain.Devices.Sequential;
using CnnTrain.Numerics;
using CnnTrain.Ops;
using CnnTrain.Tests.Cuda;
using CnnTrain.Tests.Support;
using NUnit.Framework;

namespace CnnTrain.Tests.Devices;

/// <summary>
/// Every tile shape of the GPU's implicit GEMMs (convolution and dense) against the reference: the planner picks one
/// shape per geometry, so the device suite alone would leave most shapes unrun.
/// </summary>
[RequiresCuda]
public sealed class CudaGemmTileTests
{
    private static readonly Convolution2DDescriptor[] Geometries =
    [
        new(3, 13, 11, 37, 3, padding: 1, activation: Activation.Relu, poolSize: 2, poolStride: 2),
        new(17, 9, 10, 70, 5, stride: 2, padding: 2, activation: Activation.Relu),
        new(5, 8, 8, 6, 3, stride: 3, padding: 1),
    ];

    private static readonly DenseDescriptor[] Denses =
    [
        new(300, 70, Activation.Relu),
        new(37, 130),
    ];

    private static IEnumerable<TestCaseData> DenseCases()
    {
        foreach ((int rows, int columns) in ImplicitGemm.Tiles)
        {
            for (int g = 0; g < Denses.Length; g++)
            {
                yield return new TestCaseData(g, rows, columns).SetArgDisplayNames($"dense {g}", $"{rows}x{columns}");
            }
        }
    }

    private static IEnumerable<TestCaseData> Cases()
    {
        foreach ((int rows, int columns) in ImplicitGemm.Tiles)
        {
            for (int g = 0; g < Geometries.Length; g++)
            {
                yield return new TestCaseData(g, rows, columns).SetArgDisplayNames($"geometry {g}", $"{rows}x{columns}");
            }
        }
    }

    [TestCaseSource(nameof(Cases))]
    public void EveryTileGivesTheReferenceBits(int geometry, int rows, int columns)
    {
        Convolution2DDescriptor d = Geometries[geometry];
        (int Rows, int Columns) tile = (rows, columns);
        using CudaDevice cuda = CudaAvailability.Open();
        const int batch = 3;
        float[] x = TestData.Uniform(11, batch * d.InputSize, 1f, 0f);
        float[] w = TestData.Uniform(12, d.WeightCount, 0.5f, 0f);
        float[] b = TestData.Uniform(13, d.Filters, 0.5f, 0f);
        float[] dy = TestData.Uniform(14, batch * d.OutputSize, 1f, 0f);
        Outputs Run(IComputeDevice device, CudaDevice? cuda)
        {
            using var h = new DeviceHost(device);
            var xs = h.Put(x);
            var ws = h.Put(w);
            var y = h.Floats(batch * d.OutputSize);
            var idx = d.HasPool ? h.Ints(batch * d.OutputSize) : null;
            DeviceSlice<int> indices = idx is null ? default : idx.All;
            var forward = new ConvolutionForward(d, batch, xs, ws, h.Put(b), y, indices);
            var wp = h.Floats(batch * d.WeightCount);
            var bp = h.Floats(batch * d.Filters);
            var dx = h.Floats(batch * d.InputSize);
            var backward = new ConvolutionBackward(d, batch, xs, ws, y, indices, h.Put(dy), wp, bp, dx);
            if (cuda is null)
            {
                forward.Run(device);
                backward.Run(device);
            }
            else
            {
                cuda.Queue((CudaDevice c, in ConvolutionForward op) => ConvolutionCuda.Forward(c, op, tile), forward);
                cuda.Queue((CudaDevice c, in ConvolutionBackward op) => ConvolutionCuda.Backward(c, op, tile), backward);
            }

            return new Outputs
            {
                ["output"] = h.Get(y), ["weightPartials"] = h.Get(wp), ["biasPartials"] = h.Get(bp), ["inputGradient"] = h.Get(dx),
            }.With("poolIndices", idx is null ? [] : h.Get(idx));
        }

        Outputs.AssertSame(Run(new SequentialDevice(), null), Run(cuda, cuda));
    }

    [TestCaseSource(nameof(DenseCases))]
    public void EveryDenseTileGivesTheReferenceBits(int geometry, int rows, int columns)
    {
        DenseDescriptor d = Denses[geometry];
        (int Rows, int Columns) tile = (rows, columns);
        using CudaDevice cuda = CudaAvailability.Open();
        const int batch = 37;
        float[] x = TestData.Uniform(21, batch * d.Inputs, 1f, 0.125f);
        float[] w = TestData.Uniform(22, d.WeightCount, 0.3f);
        float[] b = TestData.Uniform(23, d.Outputs, 0.3f);
        float[] dy = TestData.Uniform(24, batch * d.Outputs);
        Outputs Run(IComputeDevice device, CudaDevice? gpu)
        {
            using var h = new DeviceHost(device);
            var xs = h.Put(x);
            var ws = h.Put(w);
            var y = h.Floats(batch * d.Outputs);
            var forward = new DenseForward(d, batch, xs, ws, h.Put(b), y);
            var dw = h.Floats(BatchTree.Chunks(batch) * d.WeightCount);
            var db = h.Floats(BatchTree.Chunks(batch) * d.Outputs);
            var dx = h.Floats(batch * d.Inputs);
            var backward = new DenseBackward(d, batch, xs, ws, y, h.Put(dy), dw, db, dx);
            if (gpu is null)
            {
                forward.Run(device);
                backward.Run(device);
            }
            else
            {
                gpu.Queue((CudaDevice c, in DenseForward op) => DenseCuda.Forward(c, op), forward);
                gpu.Queue((CudaDevice c, in DenseBackward op) => DenseCuda.Backward(c, op, tile), backward);
            }

            return new Outputs { ["output"] = h.Get(y), ["weightGradient"] = h.Get(dw), ["biasGradient"] = h.Get(db), ["inputGradient"] = h.Get(dx) };
        }

        Outputs.AssertSame(Run(new SequentialDevice(), null), Run(cuda, cuda));
    }
}
