using CnnTrain.Devices;
using CnnTrain.Devices.Multicore;
using CnnTrain.Devices.Sequential;
using CnnTrain.Execution;
using CnnTrain.Ops;
using CnnTrain.Optimizers;
using CnnTrain.Tests.Support;
using NUnit.Framework;

namespace CnnTrain.Tests.Fixtures;

/// <summary>
/// CnnTrain against PyTorch in float64 (tests/fixtures/torch, made by tests/fixtures/make_torch_fixtures.py): every
/// layer's forward output, input gradient and parameter gradients (batch normalisation's running statistics after the
/// step too, and its evaluation pass), the softmax cross-entropy, and three steps of each optimizer, each element within <see cref="TorchFixture.AssertClose"/>'s 1e-5 relative tolerance. The devices are
/// bit-identical (the device suite checks that); the CPU ones run here. A layer or optimizer added to the script needs
/// only its mapping in <see cref="FixtureLayers"/> or <see cref="FixtureOptimizers"/>.
/// </summary>
[TestFixture("sequential")]
[TestFixture("multicore")]
public sealed class TorchFixtureTests(string deviceKind)
{
    private IComputeDevice? _device;

    private IComputeDevice Device => _device ?? throw new InvalidOperationException("No device.");

    public static IEnumerable<TestCaseData> LayerCases() => TorchFixture.Cases("layers");

    public static IEnumerable<TestCaseData> LossCases() => TorchFixture.Cases("loss");

    public static IEnumerable<TestCaseData> OptimizerCases() => TorchFixture.Cases("optimizers");

    [OneTimeSetUp]
    public void CreateDevice() => _device = deviceKind == "multicore" ? new MulticoreDevice(3) : new SequentialDevice();

    [OneTimeTearDown]
    public void DisposeDevice() => _device?.Dispose();

    /// <summary>
    /// The layers planned as a network plans them (fusions included), run forward in the case's mode with the fixture's
    /// running statistics and dropout masks; in training then backward from the fixture's output gradient, with the
    /// running statistics after the step's update.
    /// </summary>
    [TestCaseSource(nameof(LayerCases))]
    public void Layers_MatchPyTorch(TorchCase c)
    {
        int batch = c.Int("batch");
        bool training = !c.Root.TryGetProperty("mode", out System.Text.Json.JsonElement mode) || mode.GetString() == "training";
        JsonExpected expected = new(c["expected"]);
        double[] output = expected.Doubles("output");
        Network network = FixtureLayers.Network(c, output.Length / batch);
        using var h = new DeviceHost(Device);
        List<Stage> stages = StagePlanner.Plan(network.Layers, new StageContext(Device, batch, Training: true, StateTensors: 0));
        try
        {
            var input = h.Put(TorchCase.Floats(c["input"]));
            DeviceBuffer<float>[] outputs = [.. stages.Select(s => h.Floats(batch * s.OutputSize))];
            foreach (DeviceParameter p in stages.SelectMany(s => s.Parameters))
            {
                Device.Upload<float>(p.Host.Values, p.Values);
            }

            DeviceStatistic[] statistics = [.. stages.SelectMany(s => s.Statistics)];
            float[][] initial = c.Root.TryGetProperty("statistics", out System.Text.Json.JsonElement given) ? [.. given.EnumerateArray().Select(TorchCase.Floats)] : [];
            Assert.That(initial, Has.Length.EqualTo(statistics.Length), "running statistics in the fixture");
            for (int k = 0; k < statistics.Length; k++)
            {
                Device.Upload<float>(initial[k], statistics[k].Values);
            }

            AssignMasks(c, stages, batch, h, training);
            for (int i = 0; i < stages.Count; i++)
            {
                stages[i].Mode = training ? NetworkMode.Training : NetworkMode.Evaluation;
                stages[i].Forward(batch, i == 0 ? input : outputs[i - 1], outputs[i]);
            }

            if (!training)
            {
                TorchFixture.AssertClose(output, h.Get(outputs[^1]), "output");
                return;
            }

            stages.ForEach(s => s.UpdateStatistics(default));
            float[][] gradientValues = Backward(stages, batch, input, outputs, TorchCase.Floats(c["outputGradient"]), h, out DeviceBuffer<float> inputGradient);
            double[][] parameterGradients = [.. expected["parameterGradients"].EnumerateArray().Select(TorchCase.Doubles)];
            double[] partialScales = expected.Doubles("parameterGradientScales");
            double[][] statisticsAfter = expected.Root.TryGetProperty("statistics", out System.Text.Json.JsonElement after) ? [.. after.EnumerateArray().Select(TorchCase.Doubles)] : [];
            Assert.Multiple(() =>
            {
                TorchFixture.AssertClose(output, h.Get(outputs[^1]), "output");
                TorchFixture.AssertClose(expected.Doubles("inputGradient"), h.Get(inputGradient), "input gradient");
                DeviceParameter[] parameters = [.. stages.SelectMany(s => s.Parameters)];
                for (int j = 0; j < parameters.Length; j++)
                {
                    // Past the fixture's tensors: the probe's (FixtureLayers.Network), which PyTorch does not have.
                    int k = network.Parameters.ToList().IndexOf(parameters[j].Host);
                    if (k < parameterGradients.Length)
                    {
                        TorchFixture.AssertClose(parameterGradients[k], gradientValues[j], $"gradient of {parameters[j].Host.Name}", partialScales[k]);
                    }
                }

                for (int k = 0; k < statistics.Length; k++)
                {
                    TorchFixture.AssertClose(statisticsAfter[k], Get(statistics[k].Values), $"{statistics[k].Name} after the step");
                }
            });
        }
        finally
        {
            stages.ForEach(s => s.Dispose());
        }
    }

    /// <summary>Per-sample losses, predictions, and the gradient of the batch-mean loss with respect to the logits.</summary>
    [TestCaseSource(nameof(LossCases))]
    public void SoftmaxCrossEntropy_MatchesPyTorch(TorchCase c)
    {
        int batch = c.Int("batch"), classes = c.Int("classes");
        using var h = new DeviceHost(Device);
        var losses = h.Floats(batch);
        var predictions = h.Ints(batch);
        var logitGradient = h.Floats(batch * classes);
        new SoftmaxCrossEntropy(batch, classes, h.Put(TorchCase.Floats(c["logits"])), h.Put(TorchCase.Ints(c["labels"])), losses, predictions, logitGradient).Run(Device);
        JsonExpected expected = new(c["expected"]);
        Assert.Multiple(() =>
        {
            TorchFixture.AssertClose(expected.Doubles("losses"), h.Get(losses), "losses");
            TorchFixture.AssertClose(expected.Doubles("logitGradient"), h.Get(logitGradient), "logit gradient");
            Assert.That(h.Get(predictions), Is.EqualTo(TorchCase.Ints(expected["predictions"])), "predictions");
        });
    }

    /// <summary>Three steps from the fixture's values with its gradients and per-step rates; values and state after each.</summary>
    [TestCaseSource(nameof(OptimizerCases))]
    public void Optimizer_MatchesPyTorchForThreeSteps(TorchCase c)
    {
        Optimizer optimizer = FixtureOptimizers.Build(c["optimizer"].GetString()!, c["settings"]);
        float[] rates = TorchCase.Floats(c["learningRates"]);
        using var h = new DeviceHost(Device);
        var values = h.Put(TorchCase.Floats(c["values"]));
        DeviceSlice<float>[] state = [.. Enumerable.Range(0, optimizer.StateTensors).Select(_ => h.Floats(values.Length, 0f).All)];
        float[][] gradients = [.. c["gradients"].EnumerateArray().Select(TorchCase.Floats)];
        JsonExpected[] steps = [.. c["expected"].EnumerateArray().Select(e => new JsonExpected(e))];
        Assert.Multiple(() =>
        {
            for (int s = 0; s < rates.Length; s++)
            {
                float[] scalars = new float[optimizer.StepScalars];
                optimizer.FillStepScalars(rates.AsSpan(s, 1), firstStep: s, scalars);
                optimizer.Update(Device, [new UpdateTensor(values, h.Put(gradients[s]), BatchPartials.PerChunkOf(1), state)], h.Put(scalars));
                TorchFixture.AssertClose(steps[s].Doubles("values"), h.Get(values), $"values after step {s + 1}");
                int t = 0;
                foreach (System.Text.Json.JsonElement expectedState in steps[s]["state"].EnumerateArray())
                {
                    // null where PyTorch keeps no such state (SGD without momentum).
                    if (expectedState.ValueKind != System.Text.Json.JsonValueKind.Null)
                    {
                        TorchFixture.AssertClose(TorchCase.Doubles(expectedState), Get(state[t]), $"state {t} after step {s + 1}");
                    }

                    t++;
                }
            }
        });
    }

    /// <summary>Each Dropout stage's masks from the fixture (one 0/1 array per such stage, in network order) as its mask words.</summary>
    private void AssignMasks(TorchCase c, List<Stage> stages, int batch, DeviceHost h, bool training)
    {
        Stage[] dropping = [.. stages.Where(s => s.MaskWords > 0)];
        int[][] masks = training && c.Root.TryGetProperty("masks", out System.Text.Json.JsonElement given) ? [.. given.EnumerateArray().Select(TorchCase.Ints)] : [];
        if (training)
        {
            Assert.That(masks, Has.Length.EqualTo(dropping.Length), "dropout masks in the fixture");
        }

        for (int k = 0; k < masks.Length; k++)
        {
            dropping[k].Masks = h.Put(FixtureLayers.MaskWords(masks[k], batch, dropping[k].InputSize));
        }
    }

    /// <summary>The backward pass from <paramref name="outputGradient"/>; returns each stage parameter's batch gradient, in stage order.</summary>
    private float[][] Backward(
        List<Stage> stages, int batch, DeviceBuffer<float> input, DeviceBuffer<float>[] outputs, float[] outputGradient, DeviceHost h, out DeviceBuffer<float> inputGradient)
    {
        inputGradient = h.Floats(input.Length);
        DeviceBuffer<float>[] gradients = [.. stages.Select(s => h.Floats(batch * s.OutputSize))];
        Device.Upload<float>(outputGradient, gradients[^1]);
        for (int i = stages.Count - 1; i >= 0; i--)
        {
            stages[i].Backward(batch, i == 0 ? input : outputs[i - 1], outputs[i], gradients[i], i == 0 ? inputGradient : gradients[i - 1]);
        }

        return [.. stages.SelectMany(s => s.Parameters).Select(p => BatchGradient(p, batch))];
    }

    private float[] Get(DeviceSlice<float> slice)
    {
        var result = new float[slice.Length];
        Device.Download(slice, result);
        return result;
    }

    /// <summary>A parameter's batch gradient, its partials reduced as the update reduces them.</summary>
    private float[] BatchGradient(DeviceParameter p, int batch)
    {
        float[] raw = Get(p.GradientFor(batch));
        BatchPartials partials = p.Partials(batch);
        float[] tree = GradientSum.Tree(partials);
        return [.. Enumerable.Range(0, p.Host.Count).Select(i => GradientSum.Reference(raw, p.Host.Count, partials, i, tree))];
    }

    private readonly record struct JsonExpected(System.Text.Json.JsonElement Root)
    {
        public System.Text.Json.JsonElement this[string name] => Root.GetProperty(name);

        public double[] Doubles(string name) => TorchCase.Doubles(Root.GetProperty(name));
    }
}
