using System.Reflection;
using CnnTrain.Layers;
using FluentAssertions;
using Microsoft.ML.OnnxRuntime;
using NUnit.Framework;
using Onnx;

namespace CnnTrain.Tests.Onnx;

/// <summary>What an exported model declares: its versions, metadata, inputs and outputs, nodes and initializers.</summary>
public class OnnxModelTests
{
    [Test]
    public void The_model_names_its_producer_opset_and_parameter_digest()
    {
        using Network network = OnnxNetworks.LeNet5();
        ModelProto model = ModelProto.Parser.ParseFrom(Export(network));

        model.IrVersion.Should().Be(8);
        model.OpsetImport.Should().ContainSingle().Which.Should().Match<OperatorSetIdProto>(o => o.Domain == "" && o.Version == 17);
        string informational = typeof(Network).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion;
        model.ProducerName.Should().Be("CnnTrain");
        model.ProducerVersion.Should().NotBeEmpty().And.Be(informational.Split('+')[0]);
        model.MetadataProps.Should().ContainSingle(p => p.Key == "cnntrain.parameter_digest")
            .Which.Value.Should().Be(network.GetParameterDigest());
        model.Graph.DocString.Should().Be(string.Join(", ", network.Layers));
    }

    [Test]
    public void ONNX_Runtime_reads_the_metadata_and_the_symbolic_batch()
    {
        using Network network = OnnxNetworks.TrainedWithBatchNormAndDropout();
        using var session = new InferenceSession(Export(network));

        session.ModelMetadata.ProducerName.Should().Be("CnnTrain");
        session.ModelMetadata.CustomMetadataMap.Should().Contain("cnntrain.parameter_digest", network.GetParameterDigest());
        session.InputMetadata.Keys.Should().Equal("input");
        NodeMetadata input = session.InputMetadata["input"];
        input.ElementType.Should().Be<float>();
        input.Dimensions.Should().Equal(-1, 2, 12, 12);
        input.SymbolicDimensions[0].Should().Be("batch");
        session.OutputMetadata.Keys.Should().Equal("logits", "probabilities");
        foreach (NodeMetadata output in session.OutputMetadata.Values)
        {
            output.Dimensions.Should().Equal(-1, 3);
            output.SymbolicDimensions[0].Should().Be("batch");
        }
    }

    [Test]
    public void Each_layer_is_one_node_named_after_it_and_the_parameters_keep_their_names()
    {
        using Network network = OnnxNetworks.TrainedWithBatchNormAndDropout();
        GraphProto graph = ModelProto.Parser.ParseFrom(Export(network)).Graph;

        graph.Node.Select(n => n.OpType).Should().Equal(
            "Conv", "BatchNormalization", "Relu", "MaxPool", "Conv", "Relu", "AveragePool", "Flatten",
            "Gemm", "BatchNormalization", "Relu", "Identity", "Gemm", "Softmax");
        graph.Node.Select(n => n.Name).Should().Equal(
            "conv2d_0", "batchnorm2d_0", "relu_0", "maxpool2d_0", "conv2d_1", "relu_1", "avgpool2d_0", "flatten_0",
            "dense_0", "batchnorm1d_0", "relu_2", "dropout_0", "dense_1", "probabilities");
        graph.Node[^2].Output.Should().Equal("logits");
        graph.Node[^1].Input.Should().Equal("logits");

        string[] statistics = [.. network.Layers.SelectMany(l => l.Statistics).Select(s => s.Name)];
        statistics.Should().Contain("batchnorm2d_0.running_var");
        graph.Initializer.Select(t => t.Name).Should().BeEquivalentTo(network.Parameters.Select(p => p.Name).Concat(statistics));
        foreach (Parameter p in network.Parameters)
        {
            TensorProto tensor = graph.Initializer.Single(t => t.Name == p.Name);
            tensor.Dims.Should().Equal(p.Shape.Select(d => (long)d));
            tensor.FloatData.Should().Equal(p.Values);
        }
    }

    [Test]
    public void Layers_carry_their_settings_into_the_attributes()
    {
        using Network network = OnnxNetworks.TrainedWithBatchNormAndDropout();
        GraphProto graph = ModelProto.Parser.ParseFrom(Export(network)).Graph;

        Ints(graph, "conv2d_0", "strides").Should().Equal(2, 2);
        Ints(graph, "conv2d_0", "pads").Should().Equal(1, 1, 1, 1);
        Ints(graph, "conv2d_0", "kernel_shape").Should().Equal(3, 3);
        Ints(graph, "maxpool2d_0", "kernel_shape").Should().Equal(2, 2);
        Ints(graph, "maxpool2d_0", "strides").Should().Equal(1, 1);
        Attribute(graph, "avgpool2d_0", "ceil_mode").I.Should().Be(0);
        Attribute(graph, "dense_0", "transB").I.Should().Be(1);
        Attribute(graph, "flatten_0", "axis").I.Should().Be(1);
        Attribute(graph, "probabilities", "axis").I.Should().Be(1);
        var bn1 = network.Layers.OfType<BatchNorm1D>().Single();
        Attribute(graph, "batchnorm1d_0", "epsilon").F.Should().Be((float)bn1.Epsilon).And.Be(1e-3f);
        Attribute(graph, "batchnorm2d_0", "epsilon").F.Should().Be(1e-5f);
        graph.Node.Single(n => n.Name == "batchnorm1d_0").Input.Should().Equal(
            "dense_0", "batchnorm1d_0.gamma", "batchnorm1d_0.beta", "batchnorm1d_0.running_mean", "batchnorm1d_0.running_var");
        graph.Initializer.Single(t => t.Name == "batchnorm1d_0.running_var").FloatData.Should().Equal(bn1.RunningVariance);
    }

    [Test]
    public void A_global_average_pool_is_ONNXs_global_pool()
    {
        using Network network = OnnxNetworks.StridedPaddedGlobal();
        GraphProto graph = ModelProto.Parser.ParseFrom(Export(network)).Graph;
        graph.Node.Single(n => n.Name == "avgpool2d_0").OpType.Should().Be("GlobalAveragePool");
        Ints(graph, "conv2d_0", "pads").Should().Equal(2, 2, 2, 2);
    }

    [Test]
    public void The_stream_and_the_file_get_the_same_bytes_and_an_export_repeats_exactly()
    {
        using Network network = Network.CreateStudy(filters: 4);
        string path = Path.Combine(Path.GetTempPath(), $"cnntrain-onnx-{Guid.NewGuid():N}.onnx");
        try
        {
            network.ExportOnnx(path);
            File.ReadAllBytes(path).Should().Equal(Export(network)).And.Equal(Export(network));
        }
        finally
        {
            File.Delete(path);
        }
    }

    internal static byte[] Export(Network network)
    {
        using var stream = new MemoryStream();
        network.ExportOnnx(stream);
        return stream.ToArray();
    }

    private static AttributeProto Attribute(GraphProto graph, string node, string name) =>
        graph.Node.Single(n => n.Name == node).Attribute.Single(a => a.Name == name);

    private static IEnumerable<long> Ints(GraphProto graph, string node, string name) => Attribute(graph, node, name).Ints;
}
