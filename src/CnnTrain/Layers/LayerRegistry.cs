using CnnTrain.Persistence;

namespace CnnTrain.Layers;

/// <summary>
/// The layer kinds a model file can hold, each with its code (docs/file-format.md) and the reader of its settings:
/// the one list a new layer is added to. Reading goes through the layer's constructor, and the network through its
/// own shape checks, so a file can only produce a network that could have been built in code.
/// </summary>
internal static class LayerRegistry
{
    private static readonly (byte Code, Type Type, Func<PayloadReader, Layer> Read)[] Kinds =
    [
        (1, typeof(Conv2D), Conv2D.Read),
        (2, typeof(ReLU), ReLU.Read),
        (3, typeof(MaxPool2D), MaxPool2D.Read),
        (4, typeof(Flatten), Flatten.Read),
        (5, typeof(Dense), Dense.Read),
        (6, typeof(AvgPool2D), AvgPool2D.Read),
        (7, typeof(Dropout), Dropout.Read),
        (8, typeof(BatchNorm2D), BatchNorm2D.Read),
        (9, typeof(BatchNorm1D), BatchNorm1D.Read),
    ];

    public static void Write(PayloadWriter writer, Layer layer)
    {
        foreach ((byte code, Type type, _) in Kinds)
        {
            if (type == layer.GetType())
            {
                writer.Byte(code);
                layer.WriteSettings(writer);
                return;
            }
        }

        throw new NotSupportedException($"Layer kind {layer.Kind} cannot be saved: it is not in LayerRegistry.");
    }

    public static Layer Read(PayloadReader reader, int index)
    {
        byte code = reader.Byte();
        foreach ((byte known, _, Func<PayloadReader, Layer> read) in Kinds)
        {
            if (known == code)
            {
                return read(reader);
            }
        }

        throw reader.Fail($"layer {index} has unknown kind code {code}");
    }
}
