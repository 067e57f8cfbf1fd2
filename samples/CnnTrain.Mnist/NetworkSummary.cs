using CnnTrain.Layers;

namespace CnnTrain.Mnist;

/// <summary>Short layer names for the header and the report, e.g. <c>Conv2D(32, 3x3) -&gt; ReLU -&gt; MaxPool2D(2x2)</c>.</summary>
internal static class NetworkSummary
{
    public static IReadOnlyList<string> Layers(Network network)
    {
        ArgumentNullException.ThrowIfNull(network);
        return [.. network.Layers.Select(Describe)];
    }

    public static string Describe(Network network) => string.Join(" -> ", Layers(network));

    // The layers' own ToString spells out stride and padding; here they appear only when they differ from the defaults.
    private static string Describe(Layer layer) => layer switch
    {
        Conv2D c => $"Conv2D({c.Filters}, {c.KernelSize}x{c.KernelSize}{(c.Stride == 1 ? string.Empty : $", stride {c.Stride}")}{(c.Padding == 0 ? string.Empty : $", padding {c.Padding}")})",
        MaxPool2D p => $"MaxPool2D({p.Size}x{p.Size}{(p.Stride == p.Size ? string.Empty : $", stride {p.Stride}")})",
        _ => layer.ToString(),
    };
}
