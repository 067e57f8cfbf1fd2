using CnnTrain.Layers;

namespace CnnTrain;

/// <summary>What <see cref="Network"/>'s constructor would build from its layers, checked as it checks them but with no parameter allocated.</summary>
internal sealed record NetworkLayout(IReadOnlyList<LayerLayout> Layers, TensorShape Output)
{
    /// <summary>Every parameter tensor, in <see cref="Network.Parameters"/> order.</summary>
    public IEnumerable<ParameterShape> Parameters => Layers.SelectMany(l => l.Parameters);

    /// <summary>The number of trainable values, in 64 bits.</summary>
    public long ParameterValues => Parameters.Sum(p => p.Count);
}
