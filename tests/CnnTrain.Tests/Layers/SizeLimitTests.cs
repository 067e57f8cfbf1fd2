using CnnTrain.Layers;
using FluentAssertions;
using NUnit.Framework;

namespace CnnTrain.Tests.Layers;

/// <summary>Element counts are formed in 64 bits, and a layer whose tensors could not be allocated is refused when it is built.</summary>
public class SizeLimitTests
{
    [Test]
    public void A_shape_whose_element_count_wraps_even_a_long_is_refused()
    {
        // 2^21 x 2^21 x 2^22 = 2^64, which a long multiplication wraps to 0.
        FluentActions.Invoking(() => new TensorShape(1 << 21, 1 << 21, 1 << 22)).Should().Throw<ArgumentException>()
            .WithMessage($"*more than {int.MaxValue} elements*");
    }

    [Test]
    public void A_convolution_with_more_weights_per_channel_than_a_tensor_holds_is_refused_at_construction()
    {
        // 65536 x 256 x 256 = 2^32 weights, which an int count wraps to 0.
        FluentActions.Invoking(() => new Conv2D(65536, 256)).Should().Throw<ArgumentOutOfRangeException>()
            .Where(e => e.ParamName == "kernelSize").WithMessage("*65536 filters of 256x256*");
    }

    [Test]
    public void A_convolution_whose_weight_count_wraps_int32_is_refused_by_the_network()
    {
        // 1 x 4 x 32768 x 32768 = 2^32 weights: an int count of 0, which the network used to allocate and the devices refused.
        FluentActions.Invoking(() => new Network(TensorShape.Image(4, 1, 1), new Conv2D(1, 32768, padding: 16384), new Flatten(), new Dense(2)))
            .Should().Throw<ArgumentException>().WithMessage("Layer 0 (Conv2D(1, 32768x32768, padding 16384)):*conv2d_0.weights*more than*");
    }

    [Test]
    public void A_dense_layer_with_more_weights_than_an_array_holds_is_refused_before_anything_is_allocated()
    {
        int inputs = Array.MaxLength + 9;
        FluentActions.Invoking(() => new Network(TensorShape.Vector(inputs), new Dense(1), new Dense(2)))
            .Should().Throw<ArgumentException>().WithMessage($"Layer 0 (Dense(1)):*over {inputs} inputs*");
    }

    [Test]
    public void A_padded_plane_wider_than_an_int_is_refused()
    {
        FluentActions.Invoking(() => new Network(TensorShape.Image(1, 1, int.MaxValue - 10), new Conv2D(1, 40000, padding: 39999), new Flatten(), new Dense(2)))
            .Should().Throw<ArgumentException>().WithMessage($"*padding 39999 makes its input 79999x{int.MaxValue - 10L + 79998}, beyond*");
    }

    [Test]
    public void Parameter_counts_saturate_instead_of_wrapping()
    {
        Parameter.CountOf([int.MaxValue, int.MaxValue, int.MaxValue, int.MaxValue]).Should().Be(long.MaxValue);
        Parameter.CountOf([1 << 15, 1 << 15]).Should().Be(1L << 30);
        FluentActions.Invoking(() => Parameter.CountOf([3, 0])).Should().Throw<ArgumentOutOfRangeException>();
    }

    [Test]
    public void A_failed_network_leaves_its_layers_free_for_another()
    {
        var conv = new Conv2D(2);
        FluentActions.Invoking(() => new Network(TensorShape.Image(1, 8, 8), conv, new Dense(3))).Should().Throw<ArgumentException>();
        conv.IsAttached.Should().BeFalse("the network is checked as a whole before any layer is placed");
        _ = new Network(TensorShape.Image(1, 8, 8), conv, new Flatten(), new Dense(3));
        conv.IsAttached.Should().BeTrue();
    }
}
