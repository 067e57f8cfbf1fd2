using CnnTrain.Numerics;
using FluentAssertions;
using NUnit.Framework;

namespace CnnTrain.Tests.Numerics;

public class DeterministicMathTests
{
    [Test]
    public void Exp_IsWithinTwoUlpOverItsRange()
    {
        double worst = 0;
        for (float x = -103.9f; x < 88.7f; x += 0.00731f)
        {
            worst = Math.Max(worst, UlpError(DeterministicMath.Exp(x), Math.Exp(x)));
        }

        worst.Should().BeLessThanOrEqualTo(2.0);
    }

    [Test]
    public void Log_IsWithinTwoUlpOverItsRange()
    {
        double worst = 0;
        var random = new Random(1);
        for (int i = 0; i < 200_000; i++)
        {
            float x = BitConverter.Int32BitsToSingle(random.Next(1, 0x7F800000));
            worst = Math.Max(worst, UlpError(DeterministicMath.Log(x), Math.Log(x)));
        }

        for (float x = 0.5f; x < 20f; x += 0.000731f)
        {
            worst = Math.Max(worst, UlpError(DeterministicMath.Log(x), Math.Log(x)));
        }

        worst.Should().BeLessThanOrEqualTo(2.0);
    }

    [Test]
    public void SpecialValues()
    {
        DeterministicMath.Exp(0f).Should().Be(1f);
        DeterministicMath.Exp(float.NaN).Should().Be(float.NaN);
        DeterministicMath.Exp(89f).Should().Be(float.PositiveInfinity);
        DeterministicMath.Exp(-104f).Should().Be(0f);
        DeterministicMath.Exp(-103f).Should().BeGreaterThan(0f, "results in the subnormal range are kept");
        DeterministicMath.Log(1f).Should().Be(0f);
        DeterministicMath.Log(0f).Should().Be(float.NegativeInfinity);
        DeterministicMath.Log(-1f).Should().Be(float.NaN);
        DeterministicMath.Log(float.PositiveInfinity).Should().Be(float.PositiveInfinity);
        DeterministicMath.Log(float.Epsilon).Should().BeApproximately(-103.278931f, 1e-4f);
    }

    [Test]
    public void FixedInputsGiveTheCommittedBits()
    {
        // The CUDA copy (kernels/common/deterministic_math.cuh) is checked against these same values on the GPU host.
        float[] inputs = [-87.5f, -10.25f, -1f, -0.3466f, 0.1f, 0.5f, 1f, 2.302585f, 30f, 88.5f];
        inputs.Select(x => BitConverter.SingleToInt32Bits(DeterministicMath.Exp(x)).ToString("X8"))
            .Should().Equal(ExpBits);
        inputs.Select(x => BitConverter.SingleToInt32Bits(DeterministicMath.Log(Math.Abs(x))).ToString("X8"))
            .Should().Equal(LogBits);
    }

    private static readonly string[] ExpBits = ["006CB2BC", "38144CD4", "3EBC5AB2", "3F3503BA", "3F8D763E", "3FD3094C", "402DF854", "411FFFFE", "551B8238", "7F4CDCC3"];

    private static readonly string[] LogBits = ["408F17AA", "4014F21E", "00000000", "BF87A072", "C0135D8E", "BF317218", "00000000", "3F558325", "4059AD38", "408F74C2"];

    private static double UlpError(float actual, double exact)
    {
        if (exact == 0 || double.IsInfinity(exact))
        {
            return actual == exact ? 0 : double.PositiveInfinity;
        }

        float rounded = (float)exact;
        double ulp = Math.Max(MathF.BitIncrement(Math.Abs(rounded)) - Math.Abs(rounded), float.Epsilon);
        return Math.Abs(actual - exact) / ulp;
    }
}
