using CnnTrain.Layers;
using FluentAssertions;
using NUnit.Framework;

namespace CnnTrain.Tests.Layers;

public class NetworkSummaryTests
{
    [Test]
    public void The_study_network_summary_lists_every_layer_and_the_totals()
    {
        Network.CreateStudy(32).Summary().Should().Be(
            """
            #  Layer            Output shape  Parameters
            --------------------------------------------
               Input            (1, 28, 28)
            0  Conv2D(32, 3x3)  (32, 26, 26)         320
            1  ReLU             (32, 26, 26)           0
            2  MaxPool2D(2x2)   (32, 13, 13)           0
            3  Flatten          (5408)                 0
            4  Dense(10)        (10)              54,090
            --------------------------------------------
            Parameters: 54,410 (217,640 bytes as float32)

            """.ReplaceLineEndings("\n"));
    }

    [Test]
    public void Wider_columns_grow_with_their_contents()
    {
        var network = new Network(
            TensorShape.Image(3, 32, 32),
            new Conv2D(16, 5, padding: 2), new ReLU(), new Conv2D(32, 3, stride: 2), new Flatten(), new Dense(128), new ReLU(), new Dense(10));
        string[] lines = network.Summary().Split('\n');

        lines.Should().HaveCount(13);
        lines[0].Should().Be("#  Layer                       Output shape  Parameters");
        lines[3].Should().Be("0  Conv2D(16, 5x5, padding 2)  (16, 32, 32)       1,216");
        lines[7].Should().Be("4  Dense(128)                  (128)            921,728");
        lines[11].Should().Be($"Parameters: {network.ParameterCount:N0} ({network.ParameterCount * 4:N0} bytes as float32)");
        lines[12].Should().BeEmpty();
    }
}
