namespace CnnTrain.Mnist;

/// <summary>Layer names for the header and the report, e.g. <c>Conv2D(32, 3x3) -&gt; ReLU -&gt; MaxPool2D(2x2)</c>.</summary>
internal static class NetworkSummary
{
    public static IReadOnlyList<string> Layers(Network network)
    {
        ArgumentNullException.ThrowIfNull(network);
        return [.. network.Layers.Select(l => l.ToString())];
    }

    public static string Describe(Network network) => string.Join(" -> ", Layers(network));
}
