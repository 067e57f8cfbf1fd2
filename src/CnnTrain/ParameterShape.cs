namespace CnnTrain;

/// <summary>A parameter tensor a layer would create: its name and dimensions, with nothing allocated.</summary>
internal sealed record ParameterShape(string Name, int[] Dimensions)
{
    /// <summary>The number of values, in 64 bits (see <see cref="Parameter.CountOf"/>).</summary>
    public long Count => Parameter.CountOf(Dimensions);
}
