using CnnTrain.Tests.Support;
using NUnit.Framework;

namespace CnnTrain.Tests.Devices;

/// <summary>Named results of one run of some operations, compared bit for bit with another run's.</summary>
public sealed class Outputs : Dictionary<string, float[]>
{
    public Dictionary<string, int[]> Integers { get; } = [];

    public Outputs With(string name, int[] values)
    {
        Integers[name] = values;
        return this;
    }

    public static void AssertSame(Outputs expected, Outputs actual)
    {
        Assert.Multiple(() =>
        {
            foreach ((string name, float[] values) in expected)
            {
                Bits.AssertEqual(values, actual[name], name);
            }

            foreach ((string name, int[] values) in expected.Integers)
            {
                Bits.AssertEqual(values, actual.Integers[name], name);
            }
        });
    }
}
