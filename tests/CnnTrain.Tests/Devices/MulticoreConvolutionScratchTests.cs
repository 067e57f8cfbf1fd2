using CnnTrain.Devices;
using CnnTrain.Devices.Multicore;
using CnnTrain.Devices.Sequential;
using CnnTrain.Ops;
using CnnTrain.Tests.Support;
using NUnit.Framework;

namespace CnnTrain.Tests.Devices;

/// <summary>
/// The Multicore convolution keeps its scratch between calls and never clears the padding lanes of its
/// products: a value left there (here NaN, from a poisoned scratch) must never reach a result.
/// </summary>
public sealed class MulticoreConvolutionScratchTests
{
    [TestCaseSource(typeof(OperationCases), nameof(OperationCases.Convolutions))]
    public void PoisonedScratch_DoesNotChangeAnyBit(Geometry g)
    {
        (Convolution2DDescriptor d, int batch) = (g.Convolution, g.Batch);
        float[] x = TestData.Uniform(11, batch * d.InputSize, 1f, g.Step);
        float[] w = TestData.Uniform(12, d.WeightCount, 0.5f, g.Step);
        float[] b = TestData.Uniform(13, d.Filters, 0.5f, g.Step);
        float[] dy = TestData.Uniform(14, batch * d.OutputSize, 1f, g.Step);
        Outputs Run(IComputeDevice device, bool poison)
        {
            using var h = new DeviceHost(device);
            var xs = h.Put(x);
            var ws = h.Put(w);
            var y = h.Floats(batch * d.OutputSize);
            var idx = d.HasPool ? h.Ints(batch * d.OutputSize) : null;
            DeviceSlice<int> indices = idx is null ? default : idx.All;
            var wp = h.Floats(batch * d.WeightCount);
            var bp = h.Floats(batch * d.Filters);
            var dx = h.Floats(batch * d.InputSize);
            if (poison)
            {
                Poison();
            }

            new ConvolutionForward(d, batch, xs, ws, h.Put(b), y, indices).Run(device);
            if (poison)
            {
                Poison();
            }

            new ConvolutionBackward(d, batch, xs, ws, y, indices, h.Put(dy), wp, bp, dx).Run(device);
            return new Outputs { ["output"] = h.Get(y), ["weightPartials"] = h.Get(wp), ["biasPartials"] = h.Get(bp), ["inputGradient"] = h.Get(dx) };
        }

        // One thread: the work runs on this thread, whose scratch the test can reach.
        using var multicore = new MulticoreDevice(1);
        Outputs.AssertSame(Run(new SequentialDevice(), poison: false), Run(multicore, poison: true));
    }

    private static void Poison()
    {
        const int Length = 1 << 20;
        Func<int, float[]>[] slots =
        [
            ConvolutionScratch.Image, ConvolutionScratch.GradientImage, ConvolutionScratch.Panel, ConvolutionScratch.Product,
            ConvolutionScratch.Gradient, ConvolutionScratch.Transposed, ConvolutionScratch.Weights,
        ];
        foreach (Func<int, float[]> slot in slots)
        {
            slot(Length).AsSpan().Fill(float.NaN);
        }
    }
}
