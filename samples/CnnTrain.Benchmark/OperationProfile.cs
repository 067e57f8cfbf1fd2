using System.Diagnostics;
using System.Globalization;
using CnnTrain.Devices;

namespace CnnTrain.Benchmark;

/// <summary>
/// Times each operation of one training step of the study's network on a device: every operation is
/// recorded <see cref="Repeats"/> times into one program (a CUDA graph on the GPU), so the time per
/// operation excludes the host's launch cost, as it does inside a training epoch.
/// </summary>
internal static class OperationProfile
{
    private const int Repeats = 200;

    public static void Run(IComputeDevice device, int filters, int batch, TextWriter output)
    {
        var conv = new Convolution2DDescriptor(1, 28, 28, filters, 3, activation: Activation.Relu, poolSize: 2, poolStride: 2);
        var dense = new DenseDescriptor(conv.OutputSize, 10);
        var random = new Random(1);
        var buffers = new List<IDisposable>();
        DeviceBuffer<float> Floats(int n, float scale = 0.5f)
        {
            DeviceBuffer<float> b = device.Allocate<float>(n);
            device.Upload<float>([.. Enumerable.Range(0, n).Select(_ => (float)((random.NextDouble() - 0.5) * scale))], b);
            buffers.Add(b);
            return b;
        }

        DeviceBuffer<int> Ints(int n, int classes)
        {
            DeviceBuffer<int> b = device.Allocate<int>(n);
            device.Upload<int>([.. Enumerable.Range(0, n).Select(_ => random.Next(classes))], b);
            buffers.Add(b);
            return b;
        }

        try
        {
            var x = Floats(batch * conv.InputSize, 2f);
            var w = Floats(conv.WeightCount);
            var b = Floats(filters);
            var y = Floats(batch * conv.OutputSize);
            var winners = device.Allocate<int>(batch * conv.OutputSize);
            buffers.Add(winners);
            var dw = Floats(dense.WeightCount, 0.05f);
            var db = Floats(10);
            var logits = Floats(batch * 10);
            var labels = Ints(batch, 10);
            var losses = Floats(batch);
            var dlogits = Floats(batch * 10);
            var dy = Floats(batch * conv.OutputSize);
            var weightPartials = Floats(batch * conv.WeightCount);
            var biasPartials = Floats(batch * filters);
            var denseGradient = Floats(dense.WeightCount);
            var denseBiasGradient = Floats(10);
            var velocities = new[] { Floats(conv.WeightCount), Floats(filters), Floats(dense.WeightCount), Floats(10) };
            var rate = Floats(1);
            device.Convolution2DForward(conv, batch, x, w, b, y, winners);
            SgdTensor[] tensors =
            [
                new(w, weightPartials, velocities[0], batch), new(b, biasPartials, velocities[1], batch),
                new(dw, denseGradient, velocities[2], 1), new(db, denseBiasGradient, velocities[3], 1),
            ];

            var tiny = Floats(1);
            (string Name, Action Op)[] ops =
            [
                ("(floor: relu of one element)", () => device.ReluForward(tiny, tiny)),
                ("conv2d forward (relu, pool)", () => device.Convolution2DForward(conv, batch, x, w, b, y, winners)),
                ("dense forward", () => device.DenseForward(dense, batch, y, dw, db, logits)),
                ("softmax cross-entropy", () => device.SoftmaxCrossEntropy(batch, 10, logits, labels, losses, default, dlogits)),
                ("dense backward", () => device.DenseBackward(dense, batch, y, dw, logits, dlogits, denseGradient, denseBiasGradient, dy)),
                ("conv2d backward (filters)", () => device.Convolution2DBackward(conv, batch, x, w, y, winners, dy, weightPartials, biasPartials, default)),
                ("sgd update (4 tensors)", () => device.SgdUpdate(tensors, rate, 0.9f, 0f)),
            ];

            output.WriteLine($"{device.Name}: microseconds per operation, F={filters}, batch {batch} ({Repeats} recorded repeats)");
            double total = 0;
            foreach ((string name, Action op) in ops)
            {
                double us = Time(device, op);
                total += name.StartsWith('(') ? 0 : us;
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {name,-30} {us,9:F2}"));
            }

            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {"one step",-30} {total,9:F2}  (x {60000 / batch} steps = {total * 60000 / batch / 1000:F2} ms per 60,000 images)"));
        }
        finally
        {
            buffers.ForEach(b => b.Dispose());
        }
    }

    private static double Time(IComputeDevice device, Action op)
    {
        using IDeviceProgram program = device.Record(() =>
        {
            for (int i = 0; i < Repeats; i++)
            {
                op();
            }
        });
        program.Run();
        device.Synchronize();
        double best = double.MaxValue;
        for (int trial = 0; trial < 3; trial++)
        {
            var clock = Stopwatch.StartNew();
            program.Run();
            device.Synchronize();
            best = Math.Min(best, clock.Elapsed.TotalMicroseconds / Repeats);
        }

        return best;
    }
}
