namespace CnnTrain;

/// <summary>
/// One trainable tensor of a layer, held on the host: its values (row-major in <see cref="Shape"/>) and the
/// gradient last computed for it. Devices copy values in before they work and out when they finish.
/// </summary>
public sealed class Parameter
{
    /// <exception cref="ArgumentOutOfRangeException">A dimension below 1, or more values than an array can hold.</exception>
    internal Parameter(string name, params int[] shape)
    {
        long count = CountOf(shape);
        if (count > MaxCount)
        {
            throw new ArgumentOutOfRangeException(
                nameof(shape), $"{name} ({string.Join("x", shape)}) has more than the {MaxCount} values one tensor can hold.");
        }

        Name = name;
        Shape = shape;
        Values = new float[count];
        Gradient = new float[count];
    }

    /// <summary>The most values one tensor holds: the longest array .NET allocates.</summary>
    internal static int MaxCount => Array.MaxLength;

    /// <summary>A name unique within the network, e.g. "conv2d_0.weights".</summary>
    public string Name { get; }

    /// <summary>The tensor's dimensions, e.g. (filters, channels, kernel, kernel).</summary>
    public IReadOnlyList<int> Shape { get; }

    /// <summary>The number of elements.</summary>
    public int Count => Values.Length;

    /// <summary>The values; writable, so tools can load or perturb them.</summary>
    public float[] Values { get; }

    /// <summary>The gradient from the last <see cref="Network.ComputeGradients"/> call, zero before.</summary>
    public float[] Gradient { get; }

    /// <inheritdoc />
    public override string ToString() => $"{Name} ({string.Join("x", Shape)})";

    /// <summary>
    /// The number of elements of a tensor of <paramref name="shape"/>, in 64 bits; <see cref="long.MaxValue"/> once the
    /// product passes <see cref="MaxCount"/>, because four int extents can wrap even a long.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A dimension below 1.</exception>
    internal static long CountOf(IReadOnlyList<int> shape)
    {
        long count = 1;
        for (int i = 0; i < shape.Count; i++)
        {
            if (shape[i] < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(shape), shape[i], $"Dimension {i} of a tensor is {shape[i]}; every dimension must be at least 1.");
            }

            count *= shape[i];
            if (count > MaxCount)
            {
                return long.MaxValue;
            }
        }

        return count;
    }
}
