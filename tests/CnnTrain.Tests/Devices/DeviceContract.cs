using CnnTrain.Devices;
using CnnTrain.Devices.Sequential;
using CnnTrain.Tests.Support;
using FluentAssertions;
using NUnit.Framework;

namespace CnnTrain.Tests.Devices;

/// <summary>
/// The device suite, written once: every operation's bits against <see cref="SequentialDevice"/> on random
/// data, hand-computed values, recording semantics, argument checks, and the golden training runs.
/// Each device is a thin subclass; a device that cannot run here ignores the fixture with its reason.
/// </summary>
public abstract class DeviceContract
{
    private IComputeDevice? _device;

    protected IComputeDevice Device => _device ?? throw new InvalidOperationException("No device.");

    /// <summary>Creates the device under test, or calls <see cref="Assert.Ignore(string)"/> with the reason it cannot run here.</summary>
    protected abstract IComputeDevice CreateDevice();

    [OneTimeSetUp]
    public void CreateDeviceOnce() => _device = CreateDevice();

    [OneTimeTearDown]
    public void DisposeDevice() => _device?.Dispose();

    // ---- operations against the reference ----

    [TestCaseSource(typeof(OperationCases), nameof(OperationCases.Convolutions))]
    public void Convolution2DForward_MatchesReference(Convolution2DDescriptor d, int batch, float step)
    {
        float[] x = TestData.Uniform(1, batch * d.InputSize, 1f, step);
        float[] w = TestData.Uniform(2, d.WeightCount, 0.5f, step);
        float[] b = TestData.Uniform(3, d.Filters, 0.5f, step);
        Outputs Run(IComputeDevice device)
        {
            using var h = new DeviceHost(device);
            var y = h.Floats(batch * d.OutputSize);
            var idx = d.HasPool ? h.Ints(batch * d.OutputSize) : null;
            device.Convolution2DForward(d, batch, h.Put(x), h.Put(w), h.Put(b), y, idx is null ? default : idx.All);
            return new Outputs { ["output"] = h.Get(y) }.With("poolIndices", idx is null ? [] : h.Get(idx));
        }

        Outputs.AssertSame(Run(new SequentialDevice()), Run(Device));
    }

    [TestCaseSource(typeof(OperationCases), nameof(OperationCases.Convolutions))]
    public void Convolution2DBackward_MatchesReference(Convolution2DDescriptor d, int batch, float step)
    {
        float[] x = TestData.Uniform(4, batch * d.InputSize, 1f, step);
        float[] w = TestData.Uniform(5, d.WeightCount, 0.5f, step);
        float[] b = TestData.Uniform(6, d.Filters, 0.5f, step);
        float[] dy = TestData.Uniform(7, batch * d.OutputSize, 1f, step);
        Outputs Run(IComputeDevice device)
        {
            using var h = new DeviceHost(device);
            var xs = h.Put(x);
            var ws = h.Put(w);
            var y = h.Floats(batch * d.OutputSize);
            var idx = d.HasPool ? h.Ints(batch * d.OutputSize) : null;
            DeviceSlice<int> indices = idx is null ? default : idx.All;
            device.Convolution2DForward(d, batch, xs, ws, h.Put(b), y, indices);
            var wp = h.Floats(batch * d.WeightCount);
            var bp = h.Floats(batch * d.Filters);
            var dx = h.Floats(batch * d.InputSize);
            device.Convolution2DBackward(d, batch, xs, ws, y, indices, h.Put(dy), wp, bp, dx);
            var wpOnly = h.Floats(batch * d.WeightCount);
            var bpOnly = h.Floats(batch * d.Filters);
            device.Convolution2DBackward(d, batch, xs, ws, y, indices, h.Put(dy), wpOnly, bpOnly, default);
            return new Outputs
            {
                ["weightPartials"] = h.Get(wp), ["biasPartials"] = h.Get(bp), ["inputGradient"] = h.Get(dx),
                ["weightPartials without input gradient"] = h.Get(wpOnly), ["biasPartials without input gradient"] = h.Get(bpOnly),
            };
        }

        Outputs.AssertSame(Run(new SequentialDevice()), Run(Device));
    }

    [TestCaseSource(typeof(OperationCases), nameof(OperationCases.Denses))]
    public void DenseForwardAndBackward_MatchReference(DenseDescriptor d, int batch)
    {
        float[] x = TestData.Uniform(8, batch * d.Inputs, 1f, 0.125f);
        float[] w = TestData.Uniform(9, d.WeightCount, 0.3f);
        float[] b = TestData.Uniform(10, d.Outputs, 0.3f);
        float[] dy = TestData.Uniform(11, batch * d.Outputs);
        Outputs Run(IComputeDevice device)
        {
            using var h = new DeviceHost(device);
            var xs = h.Put(x);
            var ws = h.Put(w);
            var y = h.Floats(batch * d.Outputs);
            device.DenseForward(d, batch, xs, ws, h.Put(b), y);
            var dw = h.Floats(d.WeightCount);
            var db = h.Floats(d.Outputs);
            var dx = h.Floats(batch * d.Inputs);
            device.DenseBackward(d, batch, xs, ws, y, h.Put(dy), dw, db, dx);
            return new Outputs { ["output"] = h.Get(y), ["weightGradient"] = h.Get(dw), ["biasGradient"] = h.Get(db), ["inputGradient"] = h.Get(dx) };
        }

        Outputs.AssertSame(Run(new SequentialDevice()), Run(Device));
    }

    [TestCaseSource(typeof(OperationCases), nameof(OperationCases.Pools))]
    public void MaxPoolAndRelu_MatchReference(Pool2DDescriptor d, int batch)
    {
        float[] x = TestData.Uniform(12, batch * d.InputSize, 1f, 0.25f);
        float[] dy = TestData.Uniform(13, batch * d.OutputSize);
        Outputs Run(IComputeDevice device)
        {
            using var h = new DeviceHost(device);
            var r = h.Floats(x.Length);
            device.ReluForward(h.Put(x), r);
            var y = h.Floats(batch * d.OutputSize);
            var idx = h.Ints(batch * d.OutputSize);
            device.MaxPool2DForward(d, batch, r, y, idx);
            var dr = h.Floats(x.Length);
            device.MaxPool2DBackward(d, batch, h.Put(dy), idx, dr);
            var dx = h.Floats(x.Length);
            device.ReluBackward(r, dr, dx);
            return new Outputs { ["relu"] = h.Get(r), ["pool"] = h.Get(y), ["poolGradient"] = h.Get(dr), ["reluGradient"] = h.Get(dx) }
                .With("indices", h.Get(idx));
        }

        Outputs.AssertSame(Run(new SequentialDevice()), Run(Device));
    }

    [TestCase(7, 10, 1f)]
    [TestCase(3, 2, 1f)]
    [TestCase(5, 10, 60f)]
    [TestCase(33, 4, 0.001f)]
    [TestCase(3, 40, 5f)]
    public void SoftmaxCrossEntropy_MatchesReference(int batch, int classes, float scale)
    {
        float[] z = TestData.Uniform(14, batch * classes, scale);
        int[] t = TestData.Labels(15, batch, classes);
        Outputs Run(IComputeDevice device)
        {
            using var h = new DeviceHost(device);
            var loss = h.Floats(batch);
            var pred = h.Ints(batch);
            var dz = h.Floats(batch * classes);
            device.SoftmaxCrossEntropy(batch, classes, h.Put(z), h.Put(t), loss, pred, dz);
            var predOnly = h.Ints(batch);
            device.SoftmaxCrossEntropy(batch, classes, h.Put(z), default, default, predOnly, default);
            return new Outputs { ["loss"] = h.Get(loss), ["logitGradient"] = h.Get(dz) }
                .With("predictions", h.Get(pred)).With("predictions without labels", h.Get(predOnly));
        }

        Outputs.AssertSame(Run(new SequentialDevice()), Run(Device));
    }

    [TestCase(0f)]
    [TestCase(1e-3f)]
    public void SgdUpdate_MatchesReference(float weightDecay)
    {
        int[] lengths = [13, 64, 1000];
        int[] partials = [5, 1, 3];
        Outputs Run(IComputeDevice device)
        {
            using var h = new DeviceHost(device);
            var tensors = new List<(DeviceBuffer<float> W, DeviceBuffer<float> V)>();
            var sgd = new List<SgdTensor>();
            for (int i = 0; i < lengths.Length; i++)
            {
                var w = h.Put(TestData.Uniform(20 + i, lengths[i]));
                var v = h.Put(TestData.Uniform(30 + i, lengths[i], 0.1f));
                sgd.Add(new SgdTensor(w, h.Put(TestData.Uniform(40 + i, lengths[i] * partials[i])), v, partials[i]));
                tensors.Add((w, v));
            }

            var rate = h.Put([0.05f]);
            device.SgdUpdate([.. sgd], rate, 0.9f, weightDecay);
            device.SgdUpdate([.. sgd], rate, 0.9f, weightDecay);
            var outputs = new Outputs();
            for (int i = 0; i < tensors.Count; i++)
            {
                outputs[$"values {i}"] = h.Get(tensors[i].W);
                outputs[$"velocity {i}"] = h.Get(tensors[i].V);
            }

            return outputs;
        }

        Outputs.AssertSame(Run(new SequentialDevice()), Run(Device));
    }

    [Test]
    public void GatherCopyFill_MoveRowsExactly()
    {
        using var h = new DeviceHost(Device);
        float[] rows = TestData.Uniform(50, 5 * 3);
        var gathered = h.Floats(4 * 3);
        Device.Gather<float>(h.Put(rows), 3, h.Put([4, 0, 4, 2]), gathered);
        Bits.AssertEqual([.. rows[12..15], .. rows[0..3], .. rows[12..15], .. rows[6..9]], h.Get(gathered), "gathered rows");

        var labels = h.Ints(3);
        Device.Gather<int>(h.Put([7, 8, 9]), 1, h.Put([2, 2, 0]), labels);
        h.Get(labels).Should().Equal(9, 9, 7);

        var copy = h.Floats(3);
        Device.Copy<float>(gathered.Slice(3, 3), copy);
        Device.Fill(-0.5f, gathered.Slice(0, 2));
        Bits.AssertEqual(rows[0..3], h.Get(copy), "copy");
        h.Get(gathered)[..3].Should().Equal(-0.5f, -0.5f, rows[14]);
    }

    // ---- values computed by hand ----

    [Test]
    public void Convolution2DForward_ComputesKnownValues()
    {
        using var h = new DeviceHost(Device);
        var d = new Convolution2DDescriptor(1, 3, 3, 1, 2, activation: Activation.Relu, poolSize: 2, poolStride: 2);
        var plain = new Convolution2DDescriptor(1, 3, 3, 1, 2);
        var x = h.Put([1f, 2, 3, 4, 5, 6, 7, 8, 9]);
        var w = h.Put([1f, 0, 0, 1]);
        var b = h.Put([0.5f]);
        var z = h.Floats(4);
        Device.Convolution2DForward(plain, 1, x, w, b, z, default);
        h.Get(z).Should().Equal(6.5f, 8.5f, 12.5f, 14.5f);

        var pooled = h.Floats(1);
        var index = h.Ints(1);
        Device.Convolution2DForward(d, 1, x, w, b, pooled, index);
        h.Get(pooled).Should().Equal(14.5f);
        h.Get(index).Should().Equal(3);
    }

    [Test]
    public void DenseAndSoftmax_ComputeKnownValues()
    {
        using var h = new DeviceHost(Device);
        var y = h.Floats(2);
        Device.DenseForward(new DenseDescriptor(2, 2, Activation.Relu), 1, h.Put([1f, 1f]), h.Put([1f, 2f, 3f, 4f]), h.Put([0f, -10f]), y);
        h.Get(y).Should().Equal(3f, 0f);

        var loss = h.Floats(1);
        var pred = h.Ints(1);
        var grad = h.Floats(2);
        Device.SoftmaxCrossEntropy(1, 2, h.Put([0f, 0f]), h.Put([0]), loss, pred, grad);
        h.Get(loss)[0].Should().BeApproximately(MathF.Log(2f), 1e-7f);
        h.Get(pred).Should().Equal(0);
        h.Get(grad).Should().Equal(-0.5f, 0.5f);
    }

    [Test]
    public void MaxPool_TakesFirstMaximumOnTies()
    {
        using var h = new DeviceHost(Device);
        var y = h.Floats(2);
        var idx = h.Ints(2);
        Device.MaxPool2DForward(new Pool2DDescriptor(1, 2, 4, 2, 2), 1, h.Put([1f, 1f, 0f, 3f, 1f, 1f, 3f, 3f]), y, idx);
        h.Get(y).Should().Equal(1f, 3f);
        h.Get(idx).Should().Equal(0, 3);
    }

    [Test]
    public void Sgd_AppliesMomentumAndWeightDecayFormula()
    {
        using var h = new DeviceHost(Device);
        var w = h.Put([1f]);
        var v = h.Put([0.5f]);
        Device.SgdUpdate([new SgdTensor(w, h.Put([0.25f, 0.25f]), v, 2)], h.Put([0.5f]), 0.5f, 0.5f);
        // g = 0.25 + 0.25 + 0.5 * 1 = 1; v = 0.5 * 0.5 + 1 = 1.25; w = 1 - 0.5 * 1.25 = 0.375
        h.Get(v).Should().Equal(1.25f);
        h.Get(w).Should().Equal(0.375f);
    }

    // ---- recording ----

    [Test]
    public void Record_QueuesNothingUntilRunAndReadsBuffersAtRunTime()
    {
        using var h = new DeviceHost(Device);
        var source = h.Put([1f, 2f]);
        var target = h.Floats(2, 0f);
        using IDeviceProgram program = Device.Record(() => Device.Copy<float>(source, target));
        h.Get(target).Should().Equal(0f, 0f);
        Device.Upload<float>([3f, 4f], source);
        program.Run();
        program.Run();
        h.Get(target).Should().Equal(3f, 4f);
    }

    [Test]
    public void Record_RefusesHostTransfersInside()
    {
        using var h = new DeviceHost(Device);
        var buffer = h.Floats(1);
        var act = () => Device.Record(() => Device.Upload<float>([1f], buffer)).Dispose();
        act.Should().Throw<InvalidOperationException>().WithMessage("*Upload*recorded*");
    }

    [Test]
    public void Marker_IsReachedAfterWait()
    {
        using var h = new DeviceHost(Device);
        Device.Fill(1f, h.Floats(1024));
        using IDeviceMarker marker = Device.Mark();
        marker.Wait();
        marker.IsReached.Should().BeTrue();
    }

    // ---- argument checks ----

    [Test]
    public void Operations_RejectWrongLengthsByName()
    {
        using var h = new DeviceHost(Device);
        var d = new DenseDescriptor(4, 2);
        var act = () => Device.DenseForward(d, 3, h.Floats(12), h.Floats(8), h.Floats(2), h.Floats(5));
        act.Should().Throw<ArgumentException>().Where(e => e.ParamName == "output").WithMessage("*5 elements*6*");
    }

    [Test]
    public void Operations_RejectBuffersOfAnotherDevice()
    {
        using var other = new SequentialDevice();
        using var foreign = other.Allocate<float>(4);
        using var h = new DeviceHost(Device);
        var act = () => Device.ReluForward(foreign, h.Floats(4));
        act.Should().Throw<ArgumentException>().Where(e => e.ParamName == "input").WithMessage("*belongs to device*");
    }

    [Test]
    public void Operations_RejectReleasedBuffers()
    {
        using var h = new DeviceHost(Device);
        var released = Device.Allocate<float>(4);
        released.Dispose();
        var act = () => Device.ReluForward(h.Floats(4), released);
        act.Should().Throw<ObjectDisposedException>();
    }

    [Test]
    public void Upload_RejectsLengthMismatch()
    {
        using var h = new DeviceHost(Device);
        var act = () => Device.Upload<float>([1f, 2f, 3f], h.Floats(2));
        act.Should().Throw<ArgumentException>().Where(e => e.ParamName == "destination");
    }

    // ---- golden training runs ----

    [TestCaseSource(typeof(GoldenRun), nameof(GoldenRun.Cases))]
    public void GoldenRun_MatchesCommittedDigestAndLosses(GoldenRun run)
    {
        GoldenRun.Result result = run.Train(Device);
        result.Digest.Should().Be(run.ExpectedDigest, "the parameters after training must have the committed bits");
        result.StepLossDigest.Should().Be(run.ExpectedStepLossDigest, "every step's loss must have the committed bits");
    }

    [TestCaseSource(typeof(GoldenRun), nameof(GoldenRun.Cases))]
    public void GoldenRun_EqualsSequentialDeviceBitForBit(GoldenRun run)
    {
        using var reference = new SequentialDevice();
        GoldenRun.Result expected = run.Train(reference);
        GoldenRun.Result actual = run.Train(Device);
        Bits.AssertEqual(expected.Parameters, actual.Parameters, "parameters");
        Bits.AssertEqual(expected.StepLosses, actual.StepLosses, "step losses");
        Bits.AssertEqual(expected.Predictions, actual.Predictions, "test predictions");
    }
}
