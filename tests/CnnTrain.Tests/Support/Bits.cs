using NUnit.Framework;

namespace CnnTrain.Tests.Support;

/// <summary>Bit-level equality with a message that points at the first difference, not a dump of both arrays.</summary>
public static class Bits
{
    public static void AssertEqual(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, string what)
    {
        Assert.That(actual.Length, Is.EqualTo(expected.Length), $"{what}: length");
        int differences = 0;
        int first = -1;
        for (int i = 0; i < expected.Length; i++)
        {
            if (BitConverter.SingleToInt32Bits(expected[i]) != BitConverter.SingleToInt32Bits(actual[i]))
            {
                differences++;
                if (first < 0)
                {
                    first = i;
                }
            }
        }

        if (differences > 0)
        {
            Assert.Fail(
                $"{what}: {differences} of {expected.Length} values differ in their bits; first at [{first}]: " +
                $"expected {expected[first]:R} (0x{BitConverter.SingleToInt32Bits(expected[first]):X8}), " +
                $"got {actual[first]:R} (0x{BitConverter.SingleToInt32Bits(actual[first]):X8}).");
        }
    }

    public static void AssertEqual(ReadOnlySpan<int> expected, ReadOnlySpan<int> actual, string what)
    {
        Assert.That(actual.Length, Is.EqualTo(expected.Length), $"{what}: length");
        for (int i = 0; i < expected.Length; i++)
        {
            if (expected[i] != actual[i])
            {
                Assert.Fail($"{what}: differs first at [{i}]: expected {expected[i]}, got {actual[i]}.");
            }
        }
    }
}
