using CnnTrain.Layers;

namespace CnnTrain.Persistence;

/// <summary>
/// A network's architecture and parameters in the payload (docs/file-format.md, "Network"). Reading rebuilds
/// the layers through their constructors and the network through its own shape checks, so a file can only
/// produce a network that could have been built in code.
/// </summary>
internal static class NetworkCodec
{
    public static void Write(PayloadWriter writer, Network network)
    {
        writer.Byte((byte)network.InputShape.Rank);
        foreach (int d in network.InputShape.Dimensions)
        {
            writer.Int32(d);
        }

        writer.Int32(network.Layers.Count);
        foreach (Layer layer in network.Layers)
        {
            LayerRegistry.Write(writer, layer);
        }

        writer.Int32(network.Parameters.Count);
        foreach (Parameter p in network.Parameters)
        {
            writer.Text(p.Name);
            writer.Byte((byte)p.Shape.Count);
            foreach (int d in p.Shape)
            {
                writer.Int32(d);
            }

            writer.Singles(p.Values);
        }
    }

    public static Network Read(PayloadReader reader)
    {
        int rank = reader.Byte();
        if (rank is < 1 or > 3)
        {
            throw reader.Fail($"input shape rank {rank} is not 1, 2 or 3");
        }

        var dims = new int[rank];
        for (int i = 0; i < rank; i++)
        {
            dims[i] = reader.Int32();
        }

        int count = reader.Count("layer", 1);
        var layers = new List<Layer>(count);
        Network network;
        try
        {
            TensorShape input = new(dims);
            for (int i = 0; i < count; i++)
            {
                layers.Add(LayerRegistry.Read(reader, i));
            }

            network = new Network(input, layers);
        }
        catch (ArgumentException e)
        {
            throw reader.Fail($"the network it describes is not valid: {e.Message}");
        }

        int parameters = reader.Int32();
        if (parameters != network.Parameters.Count)
        {
            throw reader.Fail($"holds {parameters} parameter tensors; its layers have {network.Parameters.Count}");
        }

        foreach (Parameter p in network.Parameters)
        {
            string name = reader.Text("parameter name");
            int shapeRank = reader.Byte();
            var shape = new int[shapeRank];
            for (int i = 0; i < shapeRank; i++)
            {
                shape[i] = reader.Int32();
            }

            if (name != p.Name || !shape.SequenceEqual(p.Shape))
            {
                throw reader.Fail($"parameter {name} ({string.Join("x", shape)}) does not match the layers' {p.Name} ({string.Join("x", p.Shape)})");
            }

            float[] values = reader.Singles($"{name} value");
            if (values.Length != p.Count)
            {
                throw reader.Fail($"parameter {name} has {values.Length} values; its shape needs {p.Count}");
            }

            values.CopyTo(p.Values, 0);
        }

        return network;
    }
}
