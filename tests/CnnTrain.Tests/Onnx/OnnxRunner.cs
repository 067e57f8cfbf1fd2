using FluentAssertions;
using Microsoft.ML.OnnxRuntime;
using NUnit.Framework;

namespace CnnTrain.Tests.Onnx;

/// <summary>Runs an exported model in ONNX Runtime on its CPU provider, as a user serving it would.</summary>
public static class OnnxRunner
{
    /// <summary>Both outputs for <paramref name="samples"/> (count × input size, end to end), each count × classes.</summary>
    public static (float[] Logits, float[] Probabilities) Run(byte[] model, Network network, float[] samples)
    {
        // One thread: the test machine's cores are shared, and the kernels' results do not depend on the count here.
        using var options = new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1 };
        using var session = new InferenceSession(model, options);
        long count = samples.Length / network.InputShape.Size;
        long[] shape = [count, .. network.InputShape.Dimensions.Select(d => (long)d)];
        using var input = OrtValue.CreateTensorValueFromMemory(samples, shape);
        using var runOptions = new RunOptions();
        using IDisposableReadOnlyCollection<OrtValue> outputs = session.Run(
            runOptions, new Dictionary<string, OrtValue> { ["input"] = input }, ["logits", "probabilities"]);
        foreach (OrtValue output in outputs)
        {
            output.GetTensorTypeAndShape().Shape.Should().Equal(count, network.Classes);
        }

        return (outputs[0].GetTensorDataAsSpan<float>().ToArray(), outputs[1].GetTensorDataAsSpan<float>().ToArray());
    }

    /// <summary>
    /// Fails unless every value is within 1e-5 absolute plus 1e-5 relative to the expected one (numpy's allclose with
    /// both tolerances 1e-5): ONNX Runtime's kernels sum in their own orders, so equal bits are not to be had.
    /// </summary>
    public static void AssertClose(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, string what)
    {
        actual.Length.Should().Be(expected.Length, what);
        for (int i = 0; i < expected.Length; i++)
        {
            double error = Math.Abs((double)actual[i] - expected[i]);
            if (!(error <= 1e-5 + (1e-5 * Math.Abs(expected[i]))))
            {
                Assert.Fail($"{what} {i}: ONNX Runtime gives {actual[i]:R}, CnnTrain {expected[i]:R} (difference {error:E2}).");
            }
        }
    }

    /// <summary>The first maximum of each row of <paramref name="logits"/>, as CnnTrain predicts.</summary>
    public static int[] ArgMax(float[] logits, int classes) =>
        [.. Enumerable.Range(0, logits.Length / classes).Select(n =>
        {
            ReadOnlySpan<float> row = logits.AsSpan(n * classes, classes);
            int best = 0;
            for (int c = 1; c < classes; c++)
            {
                if (row[c] > row[best])
                {
                    best = c;
                }
            }

            return best;
        })];
}
