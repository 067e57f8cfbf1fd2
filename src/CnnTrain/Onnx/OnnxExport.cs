using System.Reflection;
using CnnTrain.Layers;
using Google.Protobuf;
using Onnx;

namespace CnnTrain.Onnx;

/// <summary>
/// A network as an ONNX model in evaluation form: the layers' nodes from the graph input "input" (batch, input shape)
/// to "logits" (batch, classes), and a Softmax over the classes to "probabilities" (docs/onnx.md).
/// </summary>
internal static class OnnxExport
{
    /// <summary>
    /// The operator set: 17 is the last of IR version 8 (ONNX 1.12), which runtimes from ONNX Runtime 1.12 on load; every
    /// operator the layers use has had its present meaning since opset 13 (Softmax over one axis, Gemm, Flatten) or 15
    /// (BatchNormalization without training outputs), so a newer set would add nothing but exclude older runtimes.
    /// </summary>
    public const long Opset = 17;

    /// <summary>The IR version that opset 17 came with.</summary>
    public const long IrVersion = 8;

    public const string InputName = "input";
    public const string LogitsName = "logits";
    public const string ProbabilitiesName = "probabilities";
    public const string BatchDimension = "batch";
    public const string ProducerName = "CnnTrain";
    public const string DigestKey = "cnntrain.parameter_digest";

    // A protobuf message holds less than 2 GiB; larger models need ONNX's external data, which the export does not write.
    private const long MaxTensorBytes = int.MaxValue - (16 << 20);

    /// <summary>The model's bytes; nothing is returned unless the whole model could be built.</summary>
    /// <exception cref="InvalidOperationException">A parameter or statistic is NaN or infinite, or the model is too large for one ONNX file.</exception>
    public static byte[] Serialize(Network network) => Build(network).ToByteArray();

    /// <inheritdoc cref="Serialize"/>
    public static ModelProto Build(Network network)
    {
        long bytes = (network.ParameterCount + network.Layers.Sum(l => l.Statistics.Sum(s => (long)s.Values.Length))) * sizeof(float);
        if (bytes > MaxTensorBytes)
        {
            throw new InvalidOperationException(
                $"Cannot export to ONNX: the network's {bytes} bytes of tensors pass the 2 GiB that one ONNX (protobuf) file holds.");
        }

        var graph = new GraphProto { Name = "cnntrain", DocString = string.Join(", ", network.Layers) };
        var writer = new OnnxGraphWriter(graph);
        string value = InputName;
        foreach (Layer layer in network.Layers)
        {
            value = layer.ExportOnnx(writer, value);
        }

        writer.RenameValue(value, LogitsName);
        writer.Node("Softmax", ProbabilitiesName, [LogitsName], OnnxAttribute.Int("axis", 1));
        graph.Input.Add(Value(InputName, network.InputShape));
        graph.Output.Add(Value(LogitsName, network.OutputShape));
        graph.Output.Add(Value(ProbabilitiesName, network.OutputShape));

        return new ModelProto
        {
            IrVersion = IrVersion,
            OpsetImport = { new OperatorSetIdProto { Domain = string.Empty, Version = Opset } },
            ProducerName = ProducerName,
            ProducerVersion = ProducerVersion,
            Graph = graph,
            MetadataProps = { new StringStringEntryProto { Key = DigestKey, Value = network.GetParameterDigest() } },
        };
    }

    /// <summary>The package version, without the commit Source Link appends after '+'.</summary>
    internal static string ProducerVersion
    {
        get
        {
            Assembly assembly = typeof(Network).Assembly;
            string? version = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
            return version?.Split('+')[0] ?? assembly.GetName().Version?.ToString() ?? string.Empty;
        }
    }

    // A float tensor of (batch, shape...), the batch symbolic.
    private static ValueInfoProto Value(string name, TensorShape shape)
    {
        var dims = new TensorShapeProto { Dim = { new TensorShapeProto.Types.Dimension { DimParam = BatchDimension } } };
        dims.Dim.AddRange(shape.Dimensions.Select(d => new TensorShapeProto.Types.Dimension { DimValue = d }));
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = dims } },
        };
    }
}
