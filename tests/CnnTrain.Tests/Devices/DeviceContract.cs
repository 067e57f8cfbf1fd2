using CnnTrain.Devices;
using CnnTrain.Devices.Sequential;
using CnnTrain.Numerics;
using CnnTrain.Ops;
using CnnTrain.Optimizers;
using CnnTrain.Tests.Support;
using FluentAssertions;
using NUnit.Framework;

namespace CnnTrain.Tests.Devices;

/// <summary>
/// The device suite, written once: every operation's bits against <see cref="SequentialDevice"/> on random
/// data, hand-computed values, recording semantics, argument checks (the same typed errors on every device),
/// and the golden training runs.
/// Each device is a thin subclass; a device that cannot run here ignores the fixture with its reason. An op family
/// added later brings its cases in a file of its own (DeviceContract.&lt;Family&gt;.cs).
/// </summary>
public abstract partial class DeviceContract
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
    public void Convolution2DForward_MatchesReference(Geometry g)
    {
        (Convolution2DDescriptor d, int batch, float step) = (g.Convolution, g.Batch, g.Step);
        float[] x = TestData.Uniform(1, batch * d.InputSize, 1f, step);
        float[] w = TestData.Uniform(2, d.WeightCount, 0.5f, step);
        float[] b = TestData.Uniform(3, d.Filters, 0.5f, step);
        Outputs Run(IComputeDevice device)
        {
            using var h = new DeviceHost(device);
            var y = h.Floats(batch * d.OutputSize);
            var idx = d.HasPool ? h.Ints(batch * d.OutputSize) : null;
            new ConvolutionForward(d, batch, h.Put(x), h.Put(w), h.Put(b), y, idx is null ? default : idx.All).Run(device);
            return new Outputs { ["output"] = h.Get(y) }.With("poolIndices", idx is null ? [] : h.Get(idx));
        }

        Outputs.AssertSame(Run(new SequentialDevice()), Run(Device));
    }

    [TestCaseSource(typeof(OperationCases), nameof(OperationCases.Convolutions))]
    public void Convolution2DBackward_MatchesReference(Geometry g)
    {
        (Convolution2DDescriptor d, int batch, float step) = (g.Convolution, g.Batch, g.Step);
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
            new ConvolutionForward(d, batch, xs, ws, h.Put(b), y, indices).Run(device);
            var wp = h.Floats(batch * d.WeightCount);
            var bp = h.Floats(batch * d.Filters);
            var dx = h.Floats(batch * d.InputSize);
            new ConvolutionBackward(d, batch, xs, ws, y, indices, h.Put(dy), wp, bp, dx).Run(device);
            var wpOnly = h.Floats(batch * d.WeightCount);
            var bpOnly = h.Floats(batch * d.Filters);
            new ConvolutionBackward(d, batch, xs, ws, y, indices, h.Put(dy), wpOnly, bpOnly, default).Run(device);
            return new Outputs
            {
                ["weightPartials"] = h.Get(wp), ["biasPartials"] = h.Get(bp), ["inputGradient"] = h.Get(dx),
                ["weightPartials without input gradient"] = h.Get(wpOnly), ["biasPartials without input gradient"] = h.Get(bpOnly),
            };
        }

        Outputs.AssertSame(Run(new SequentialDevice()), Run(Device));
    }

    [TestCaseSource(typeof(OperationCases), nameof(OperationCases.Denses))]
    public void DenseForwardAndBackward_MatchReference(Geometry g)
    {
        (DenseDescriptor d, int batch) = (g.Dense, g.Batch);
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
            new DenseForward(d, batch, xs, ws, h.Put(b), y).Run(device);
            var dw = h.Floats(BatchTree.Chunks(batch) * d.WeightCount);
            var db = h.Floats(BatchTree.Chunks(batch) * d.Outputs);
            var dx = h.Floats(batch * d.Inputs);
            new DenseBackward(d, batch, xs, ws, y, h.Put(dy), dw, db, dx).Run(device);

            // A first layer asks for no input gradient: the weight and bias gradients alone.
            var dwAlone = h.Floats(BatchTree.Chunks(batch) * d.WeightCount);
            var dbAlone = h.Floats(BatchTree.Chunks(batch) * d.Outputs);
            new DenseBackward(d, batch, xs, ws, y, h.Put(dy), dwAlone, dbAlone, default).Run(device);
            return new Outputs
            {
                ["output"] = h.Get(y), ["weightGradient"] = h.Get(dw), ["biasGradient"] = h.Get(db), ["inputGradient"] = h.Get(dx),
                ["weightGradient without dx"] = h.Get(dwAlone), ["biasGradient without dx"] = h.Get(dbAlone),
            };
        }

        Outputs.AssertSame(Run(new SequentialDevice()), Run(Device));
    }

    [TestCaseSource(typeof(OperationCases), nameof(OperationCases.Pools))]
    public void MaxPoolAndRelu_MatchReference(Geometry g)
    {
        (Pool2DDescriptor d, int batch) = (g.Pool, g.Batch);
        float[] x = TestData.Uniform(12, batch * d.InputSize, 1f, 0.25f);
        float[] dy = TestData.Uniform(13, batch * d.OutputSize);
        Outputs Run(IComputeDevice device)
        {
            using var h = new DeviceHost(device);
            var r = h.Floats(x.Length);
            new ReluForward(h.Put(x), r).Run(device);
            var y = h.Floats(batch * d.OutputSize);
            var idx = h.Ints(batch * d.OutputSize);
            new MaxPoolForward(d, batch, r, y, idx).Run(device);
            var dr = h.Floats(x.Length);
            new MaxPoolBackward(d, batch, h.Put(dy), idx, dr).Run(device);
            var dx = h.Floats(x.Length);
            new ReluBackward(r, dr, dx).Run(device);
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
            new SoftmaxCrossEntropy(batch, classes, h.Put(z), h.Put(t), loss, pred, dz).Run(device);
            var predOnly = h.Ints(batch);
            new SoftmaxCrossEntropy(batch, classes, h.Put(z), default, default, predOnly, default).Run(device);
            return new Outputs { ["loss"] = h.Get(loss), ["logitGradient"] = h.Get(dz) }
                .With("predictions", h.Get(pred)).With("predictions without labels", h.Get(predOnly));
        }

        Outputs.AssertSame(Run(new SequentialDevice()), Run(Device));
    }

    [TestCase(0f, false)]
    [TestCase(1e-3f, false)]
    [TestCase(1e-3f, true)]
    public void SgdUpdate_MatchesReference(float weightDecay, bool nesterov)
    {
        var sgd = new Sgd(0.9f, weightDecay, nesterov);
        Outputs Run(IComputeDevice device) => UpdateTwice(device, sgd, [0.05f]);

        Outputs.AssertSame(Run(new SequentialDevice()), Run(Device));
    }

    /// <summary>
    /// Two updates of five tensors (13, 64, 1000, 37 and 9001 elements with 5 per-sample partials, 1 partial, 3 chunk partials,
    /// 40 and 33 per-sample partials: the last spans three of Multicore's ranges, ending in a part block and a part
    /// vector); the values and the state after them.
    /// </summary>
    protected static Outputs UpdateTwice(IComputeDevice device, Optimizer optimizer, float[] stepScalars)
    {
        int[] lengths = [13, 64, 1000, 37, 9001];
        BatchPartials[] partials = [BatchPartials.PerSample(5), BatchPartials.PerChunkOf(1), new(3, 1), BatchPartials.PerSample(40), BatchPartials.PerSample(33)];
        using var h = new DeviceHost(device);
        var tensors = new UpdateTensor[lengths.Length];
        for (int i = 0; i < lengths.Length; i++)
        {
            // Non-negative state, as Adam's second moment always is (a negative one would make NaNs, whose payloads differ by device).
            DeviceSlice<float>[] state =
                [.. Enumerable.Range(0, optimizer.StateTensors).Select(s => h.Put([.. TestData.Uniform(30 + i + (10 * s), lengths[i], 0.1f).Select(MathF.Abs)]).All)];
            tensors[i] = new UpdateTensor(h.Put(TestData.Uniform(20 + i, lengths[i])), h.Put(TestData.Uniform(40 + i, lengths[i] * partials[i].Count)), partials[i], state);
        }

        var scalars = h.Put(stepScalars);
        optimizer.Update(device, tensors, scalars);
        optimizer.Update(device, tensors, scalars);
        var outputs = new Outputs();
        for (int i = 0; i < tensors.Length; i++)
        {
            outputs[$"values {i}"] = Get(device, tensors[i].Values);
            for (int s = 0; s < optimizer.StateTensors; s++)
            {
                outputs[$"state {s} of {i}"] = Get(device, tensors[i].State[s]);
            }
        }

        outputs.Values.Should().AllSatisfy(v => v.Should().OnlyContain(x => float.IsFinite(x)), "a valid update gives finite values");
        return outputs;
    }

    [Test]
    public void GatherCopyFill_MoveRowsExactly()
    {
        using var h = new DeviceHost(Device);
        float[] rows = TestData.Uniform(50, 5 * 3);
        var gathered = h.Floats(4 * 3);
        new Gather<float>(h.Put(rows), 3, h.Put([4, 0, 4, 2]), gathered).Run(Device);
        Bits.AssertEqual([.. rows[12..15], .. rows[0..3], .. rows[12..15], .. rows[6..9]], h.Get(gathered), "gathered rows");

        var labels = h.Ints(3);
        new Gather<int>(h.Put([7, 8, 9]), 1, h.Put([2, 2, 0]), labels).Run(Device);
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
        new ConvolutionForward(plain, 1, x, w, b, z, default).Run(Device);
        h.Get(z).Should().Equal(6.5f, 8.5f, 12.5f, 14.5f);

        var pooled = h.Floats(1);
        var index = h.Ints(1);
        new ConvolutionForward(d, 1, x, w, b, pooled, index).Run(Device);
        h.Get(pooled).Should().Equal(14.5f);
        h.Get(index).Should().Equal(3);
    }

    [Test]
    public void DenseAndSoftmax_ComputeKnownValues()
    {
        using var h = new DeviceHost(Device);
        var y = h.Floats(2);
        new DenseForward(new DenseDescriptor(2, 2, Activation.Relu), 1, h.Put([1f, 1f]), h.Put([1f, 2f, 3f, 4f]), h.Put([0f, -10f]), y).Run(Device);
        h.Get(y).Should().Equal(3f, 0f);

        var loss = h.Floats(1);
        var pred = h.Ints(1);
        var grad = h.Floats(2);
        new SoftmaxCrossEntropy(1, 2, h.Put([0f, 0f]), h.Put([0]), loss, pred, grad).Run(Device);
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
        new MaxPoolForward(new Pool2DDescriptor(1, 2, 4, 2, 2), 1, h.Put([1f, 1f, 0f, 3f, 1f, 1f, 3f, 3f]), y, idx).Run(Device);
        h.Get(y).Should().Equal(1f, 3f);
        h.Get(idx).Should().Equal(0, 3);
    }

    [Test]
    public void Sgd_AppliesMomentumAndWeightDecayFormula()
    {
        using var h = new DeviceHost(Device);
        var w = h.Put([1f]);
        var v = h.Put([0.5f]);
        new Sgd(0.5f, 0.5f).Update(Device, [new UpdateTensor(w, h.Put([0.25f, 0.25f]), BatchPartials.PerSample(2), [v])], h.Put([0.5f]));
        // g = 0.25 + 0.25 + 0.5 * 1 = 1; v = 0.5 * 0.5 + 1 = 1.25; w = 1 - 0.5 * 1.25 = 0.375
        h.Get(v).Should().Equal(1.25f);
        h.Get(w).Should().Equal(0.375f);
    }

    [Test]
    public void Sgd_AppliesNesterovFormula()
    {
        using var h = new DeviceHost(Device);
        var w = h.Put([1f]);
        var v = h.Put([0.5f]);
        new Sgd(0.5f, nesterov: true).Update(Device, [new UpdateTensor(w, h.Put([1f]), BatchPartials.PerChunkOf(1), [v])], h.Put([0.5f]));
        // g = 1; v = 0.5 * 0.5 + 1 = 1.25; step = g + 0.5 * v = 1.625; w = 1 - 0.5 * 1.625 = 0.1875
        h.Get(v).Should().Equal(1.25f);
        h.Get(w).Should().Equal(0.1875f);
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
        var act = () => new DenseForward(d, 3, h.Floats(12), h.Floats(8), h.Floats(2), h.Floats(5)).Run(Device);
        act.Should().Throw<ArgumentException>().Where(e => e.ParamName == "Output").WithMessage("*5 elements*6*");
    }

    [Test]
    public void Operations_RejectBuffersOfAnotherDevice()
    {
        using var other = new SequentialDevice();
        using var foreign = other.Allocate<float>(4);
        using var h = new DeviceHost(Device);
        var act = () => new ReluForward(foreign, h.Floats(4)).Run(Device);
        act.Should().Throw<ArgumentException>().Where(e => e.ParamName == "Input").WithMessage("*belongs to device*");
    }

    [Test]
    public void Operations_RejectReleasedBuffers()
    {
        using var h = new DeviceHost(Device);
        var released = Device.Allocate<float>(4);
        released.Dispose();
        var act = () => new ReluForward(h.Floats(4), released).Run(Device);
        act.Should().Throw<ObjectDisposedException>();
    }

    [Test]
    public void Softmax_RejectsALabelOutsideTheClassesBeforeAnyKernelRuns()
    {
        using var h = new DeviceHost(Device);
        var act = () => new SoftmaxCrossEntropy(3, 4, h.Floats(12, 0f), h.Put([0, 4, 1]), h.Floats(3), default, default).Run(Device);
        act.Should().Throw<ArgumentOutOfRangeException>().Where(e => e.ParamName == "Labels").WithMessage("*holds 4*[0, 4)*");
        var negative = () => new SoftmaxCrossEntropy(1, 4, h.Floats(4, 0f), h.Put([-1]), h.Floats(1), default, default).Run(Device);
        negative.Should().Throw<ArgumentOutOfRangeException>().Where(e => e.ParamName == "Labels").WithMessage("*holds -1*");
    }

    [Test]
    public void Gather_RejectsARowOutsideTheSourceBeforeAnyKernelRuns()
    {
        using var h = new DeviceHost(Device);
        var act = () => new Gather<float>(h.Floats(6, 0f), 3, h.Put([1, 2]), h.Floats(6)).Run(Device);
        act.Should().Throw<ArgumentOutOfRangeException>().Where(e => e.ParamName == "Rows").WithMessage("*holds 2*[0, 2)*");
    }

    [Test]
    public void A_recorded_check_keeps_guarding_the_buffers_it_read()
    {
        using var h = new DeviceHost(Device);
        var source = h.Put([0, 1, 2]);
        var rows = h.Put([2, 0]);
        var labels = h.Ints(2, 0);
        var logits = h.Floats(6, 0f);
        var losses = h.Floats(2);
        using IDeviceProgram program = Device.Record(() =>
        {
            new Gather<int>(source, 1, rows, labels).Run(Device);
            new SoftmaxCrossEntropy(2, 3, logits, labels, losses, default, default).Run(Device);
        });
        program.Run();

        // The program reads labels gathered from source, so a later upload of a bad label into source is refused.
        var act = () => Device.Upload<int>([0, 3, 1], source);
        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*is 3*[0, 3)*");
        var badRow = () => Device.Upload<int>([5, 0], rows);
        badRow.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*is 5*[0, 3)*");
        Device.Upload<int>([1, 1], rows);
    }

    [Test]
    public void Indices_written_by_a_kernel_cannot_serve_as_labels()
    {
        using var h = new DeviceHost(Device);
        var predictions = h.Ints(2);
        new SoftmaxCrossEntropy(2, 3, h.Floats(6, 0f), default, default, predictions, default).Run(Device);
        var act = () => new SoftmaxCrossEntropy(2, 3, h.Floats(6, 0f), predictions, h.Floats(2), default, default).Run(Device);
        act.Should().Throw<ArgumentException>().Where(e => e.ParamName == "Labels").WithMessage("*written by a kernel*");
    }

    [Test]
    public void Upload_RejectsLengthMismatch()
    {
        using var h = new DeviceHost(Device);
        var act = () => Device.Upload<float>([1f, 2f, 3f], h.Floats(2));
        act.Should().Throw<ArgumentException>().Where(e => e.ParamName == "destination");
    }

    private static float[] Get(IComputeDevice device, DeviceSlice<float> slice)
    {
        var values = new float[slice.Length];
        device.Download(slice, values);
        return values;
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
