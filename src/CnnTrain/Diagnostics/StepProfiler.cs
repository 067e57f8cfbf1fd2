using System.Diagnostics;
using CnnTrain.Devices;
using CnnTrain.Execution;
using CnnTrain.Optimizers;

namespace CnnTrain.Diagnostics;

/// <summary>
/// Times each operation of one training step of a network on a device, the way an epoch runs them: every
/// operation is recorded many times into one program (a CUDA graph on the GPU) and replayed, so the time
/// excludes the host's cost of queuing it. Inputs and labels are seeded random values; the network's own
/// parameters are used and left unchanged.
/// </summary>
public static class StepProfiler
{
    private const int Trials = 3;

    /// <summary>Profiles one step of <paramref name="network"/> on <paramref name="device"/>.</summary>
    /// <param name="network">The network; its parameters are copied to the device and not changed.</param>
    /// <param name="device">The device to time.</param>
    /// <param name="batchSize">Samples per step.</param>
    /// <param name="secondsPerOperation">Roughly how long each operation is timed for; more repeats give steadier numbers.</param>
    /// <param name="seed">Seed of the random inputs and labels.</param>
    /// <exception cref="ArgumentOutOfRangeException">The batch size is below 1 or the time is not positive.</exception>
    /// <param name="optimizer">The optimizer whose update is timed; SGD with momentum when null.</param>
    public static StepProfile Profile(
        Network network, IComputeDevice device, int batchSize = 100, double secondsPerOperation = 0.2, int seed = 1, Optimizer? optimizer = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(device);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        if (!(secondsPerOperation > 0) || double.IsInfinity(secondsPerOperation))
        {
            throw new ArgumentOutOfRangeException(nameof(secondsPerOperation), secondsPerOperation, "The time per operation must be positive and finite.");
        }

        var random = new Random(seed);
        Optimizer update = optimizer ?? new Sgd();
        using var net = new DeviceNetwork(network, device, batchSize, training: true, update);
        using DeviceBuffer<float> input = device.Allocate<float>(checked(batchSize * network.InputShape.Size));
        using DeviceBuffer<int> labels = device.Allocate<int>(batchSize);
        using DeviceBuffer<float> losses = device.Allocate<float>(batchSize);
        using DeviceBuffer<float> rate = device.Allocate<float>(update.StepScalars);
        using DeviceBuffer<float> tiny = device.Allocate<float>(1);
        device.Upload<float>([.. Enumerable.Range(0, input.Length).Select(_ => (float)random.NextDouble())], input);
        device.Upload<int>([.. Enumerable.Range(0, batchSize).Select(_ => random.Next(network.Classes))], labels);
        var scalars = new float[update.StepScalars];
        update.FillStepScalars([0f], 0, scalars);
        device.Upload<float>(scalars, rate);
        net.UploadParameters();
        net.ForwardBackward(batchSize, input, labels, losses, default);
        device.Synchronize();

        // A learning rate of zero keeps the parameters as they are, however often the update is replayed.
        var timings = new List<OperationTiming>();
        foreach ((string name, Action queue) in net.StepOperations(batchSize, input, labels, losses, rate))
        {
            (double us, int repeats) = Time(device, queue, secondsPerOperation);
            timings.Add(new OperationTiming(name, us, repeats));
        }

        (double floor, _) = Time(device, () => device.Fill(0f, tiny), secondsPerOperation);
        return new StepProfile(device.Name, batchSize, timings, floor);
    }

    private static (double Microseconds, int Repeats) Time(IComputeDevice device, Action queue, double seconds)
    {
        // One untimed run first (first-use costs), then one timed run to choose how many repeats fill the time.
        queue();
        device.Synchronize();
        var clock = Stopwatch.StartNew();
        queue();
        device.Synchronize();
        double once = Math.Max(clock.Elapsed.TotalSeconds, 1e-7);
        double best = once * 1e6;
        if (once * Trials >= seconds)
        {
            // Slow enough that queuing costs nothing next to it: time it as it is, a few times.
            for (int trial = 1; trial < Trials; trial++)
            {
                clock.Restart();
                queue();
                device.Synchronize();
                best = Math.Min(best, clock.Elapsed.TotalMicroseconds);
            }

            return (best, 1);
        }

        int repeats = (int)Math.Clamp(seconds / Trials / once, 1, 2000);
        using IDeviceProgram program = device.Record(() =>
        {
            for (int i = 0; i < repeats; i++)
            {
                queue();
            }
        });
        program.Run();
        device.Synchronize();
        best = double.MaxValue;
        for (int trial = 0; trial < Trials; trial++)
        {
            clock.Restart();
            program.Run();
            device.Synchronize();
            best = Math.Min(best, clock.Elapsed.TotalMicroseconds / repeats);
        }

        return (best, repeats);
    }
}
