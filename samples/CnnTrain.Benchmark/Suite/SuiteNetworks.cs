using CnnTrain.Layers;

namespace CnnTrain.Benchmark.Suite;

/// <summary>Builds a suite network as CnnTrain layers, initialised He normal from the suite's seed.</summary>
internal static class SuiteNetworks
{
    public static Network Create(NetworkSpec spec, int seed)
    {
        var network = new Network(new TensorShape([.. spec.Input]), spec.Layers.Select(Layer));
        if (network.Classes != spec.Classes)
        {
            throw new InvalidDataException($"Network '{spec.Name}' ends in {network.Classes} outputs; the suite says {spec.Classes} classes.");
        }

        network.Initialize(seed, Initialization.He);
        return network;
    }

    private static Layer Layer(LayerSpec layer) => layer.Type switch
    {
        "conv2d" => new Conv2D(layer.Filters, layer.Kernel, layer.Stride, layer.Padding),
        "relu" => new ReLU(),
        "maxpool2d" => new MaxPool2D(layer.Size),
        "flatten" => new Flatten(),
        "dense" => new Dense(layer.Units),
        _ => throw new InvalidDataException($"Unknown layer type '{layer.Type}' in the suite definition."),
    };
}
