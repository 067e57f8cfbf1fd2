namespace CnnTrain;

/// <summary>
/// One trainable tensor of a layer, held on the host: its values (row-major in <see cref="Shape"/>) and the
/// gradient last computed for it. Devices copy values in before they work and out when they finish.
/// </summary>
public sealed class Parameter
{
    internal Parameter(string name, params int[] shape)
    {
        Name = name;
        Shape = shape;
        int count = 1;
        foreach (int d in shape)
        {
            count *= d;
        }

        Values = new float[count];
        Gradient = new float[count];
    }

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
}
