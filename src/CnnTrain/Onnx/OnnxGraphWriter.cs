using System.Globalization;
using CnnTrain.Persistence;
using Onnx;

namespace CnnTrain.Onnx;

/// <summary>
/// The graph of an ONNX model being exported: each layer adds its nodes and the float initializers they read, and
/// names its output value after itself, so the graph reads like the network (docs/onnx.md).
/// </summary>
internal sealed class OnnxGraphWriter
{
    private readonly GraphProto _graph;

    public OnnxGraphWriter(GraphProto graph) => _graph = graph;

    /// <summary>Adds a node of the default ONNX domain named <paramref name="name"/>, whose one output value has that name too; returns it.</summary>
    public string Node(string opType, string name, IEnumerable<string> inputs, params AttributeProto[] attributes)
    {
        var node = new NodeProto { OpType = opType, Name = name, Output = { name } };
        node.Input.AddRange(inputs);
        node.Attribute.AddRange(attributes);
        _graph.Node.Add(node);
        return name;
    }

    /// <summary>Adds <paramref name="parameter"/> as an initializer of its name and shape; returns the name.</summary>
    /// <exception cref="InvalidOperationException">A value is NaN or infinite; the message names the parameter.</exception>
    public string Initializer(Parameter parameter) => Initializer(parameter.Name, parameter.Values, parameter.Shape);

    /// <summary>Adds a float initializer; returns its name.</summary>
    /// <exception cref="InvalidOperationException">A value is NaN or infinite; the message names the tensor.</exception>
    public string Initializer(string name, float[] values, IReadOnlyList<int> dimensions)
    {
        // A diverged network exports as readily as it saves, that is not at all: its outputs would be NaN anyway.
        int bad = SavedValues.FirstNonFinite(values);
        if (bad >= 0)
        {
            throw new InvalidOperationException(string.Create(
                CultureInfo.InvariantCulture,
                $"Cannot export to ONNX: {name} value {bad} of {values.Length} is {values[bad]}. A network with NaN or infinite values (training diverged?) is not exported, so no file is written."));
        }

        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float, FloatData = { values } };
        tensor.Dims.AddRange(dimensions.Select(d => (long)d));
        _graph.Initializer.Add(tensor);
        return name;
    }

    /// <summary>Gives the value <paramref name="value"/> the name <paramref name="name"/>, as the graph's outputs need.</summary>
    /// <exception cref="InvalidOperationException">No node produces <paramref name="value"/>.</exception>
    public void RenameValue(string value, string name)
    {
        // Only the last layer's output is renamed, before anything reads it: its producer is the one node to change.
        // Every layer adds a node and a network has at least one layer, so there always is one.
        NodeProto producer = _graph.Node.Last(n => n.Output.Contains(value));
        producer.Output[producer.Output.IndexOf(value)] = name;
    }
}
