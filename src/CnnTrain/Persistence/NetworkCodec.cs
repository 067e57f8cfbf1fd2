using System.Text;
using CnnTrain.Layers;

namespace CnnTrain.Persistence;

/// <summary>
/// A network's architecture and parameters in the payload (docs/file-format.md, "Network"). Reading rebuilds
/// the layers through their constructors and the network through its own shape checks, so a file can only
/// produce a network that could have been built in code.
/// </summary>
internal static class NetworkCodec
{
    /// <exception cref="InvalidOperationException">A parameter value is NaN or infinite: reading would refuse it.</exception>
    public static void Write(PayloadWriter writer, Network network)
    {
        foreach (Parameter p in network.Parameters)
        {
            SavedValues.RequireFinite(p.Values, $"{p.Name} value");
        }

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
        TensorShape input;
        NetworkLayout layout;
        try
        {
            input = new TensorShape(dims);
            for (int i = 0; i < count; i++)
            {
                layers.Add(LayerRegistry.Read(reader, i));
            }

            layout = Network.Describe(input, layers);
        }
        catch (ArgumentException e)
        {
            throw reader.Fail($"the network it describes is not valid: {e.Message}");
        }

        RequireRoomForParameters(reader, layout);

        // The layout was checked as the constructor checks it, and the payload holds every value it needs.
        var network = new Network(input, layers);
        int parameters = reader.Int32();
        if (parameters != network.Parameters.Count)
        {
            throw reader.Fail($"holds {parameters} parameter tensors; its layers have {network.Parameters.Count}");
        }

        foreach (Parameter p in network.Parameters)
        {
            string name = reader.Text("parameter name");
            int shapeRank = reader.Byte();
            if (name != p.Name || shapeRank != p.Shape.Count)
            {
                throw reader.Fail($"parameter {name} of rank {shapeRank} does not match the layers' {p.Name} ({string.Join("x", p.Shape)})");
            }

            var shape = new int[shapeRank];
            for (int i = 0; i < shapeRank; i++)
            {
                shape[i] = reader.Int32();
            }

            if (!shape.SequenceEqual(p.Shape))
            {
                throw reader.Fail($"parameter {name} ({string.Join("x", shape)}) does not match the layers' {p.Name} ({string.Join("x", p.Shape)})");
            }

            reader.FiniteSingles($"{name} value", p.Values);
        }

        return network;
    }

    /// <summary>
    /// Refuses a network whose parameters need more bytes than remain, before any is allocated: an 88-byte file
    /// could otherwise describe gigabytes of weights. Each tensor takes its count, name, rank, dimensions and values.
    /// </summary>
    private static void RequireRoomForParameters(PayloadReader reader, NetworkLayout layout)
    {
        long needed = sizeof(int);
        foreach (ParameterShape p in layout.Parameters)
        {
            needed += sizeof(int) + Encoding.UTF8.GetByteCount(p.Name) + 1 + (sizeof(int) * (long)p.Dimensions.Length) + sizeof(int) + (sizeof(float) * p.Count);

            // Each tensor is below 2^33 bytes, so stopping at the first excess keeps the sum far from wrapping.
            if (needed > reader.Remaining)
            {
                throw reader.Fail(
                    $"the network it describes has {layout.ParameterValues} parameter values, more than the {reader.Remaining} bytes that remain can hold");
            }
        }
    }
}
