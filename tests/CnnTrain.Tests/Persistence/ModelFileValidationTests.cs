using System.Buffers.Binary;
using System.Security.Cryptography;
using CnnTrain.Layers;
using CnnTrain.Persistence;
using CnnTrain.Tests.Persistence.Fuzzing;
using FluentAssertions;
using NUnit.Framework;

namespace CnnTrain.Tests.Persistence;

/// <summary>Model files with a correct checksum and contents this library could not have written.</summary>
public class ModelFileValidationTests
{
    [Test]
    public void A_tiny_file_that_describes_a_gigabyte_of_weights_is_refused_before_they_are_allocated()
    {
        // Vector(8192) -> Dense(16384) -> Dense(2): 2^27 weights, 1 GiB with their gradients, described in 29 bytes.
        var w = new PayloadWriter();
        w.Byte(1);
        w.Int32(8192);
        w.Int32(2);
        w.Byte(5);
        w.Int32(16384);
        w.Byte(5);
        w.Int32(2);
        byte[] file = Envelope.Seal(FileKind.Model, w.ToArray());

        long before = GC.GetAllocatedBytesForCurrentThread();
        Action load = () => Network.Load(new MemoryStream(file));
        load.Should().Throw<ModelFormatException>()
            .WithMessage("(stream): the network it describes has 134266882 parameter values, more than the 0 bytes that remain can hold*");
        (GC.GetAllocatedBytesForCurrentThread() - before).Should().BeLessThan(1 << 20);
    }

    [Test]
    public void A_convolution_whose_weight_count_wraps_int32_is_refused()
    {
        // Conv2D(1, 32768, padding 16384) over (4, 1, 1) has 2^32 weights; an int count made that 0, and such a file loaded.
        var w = new PayloadWriter();
        w.Byte(3);
        w.Int32(4);
        w.Int32(1);
        w.Int32(1);
        w.Int32(3);
        w.Byte(1);
        w.Int32(1);
        w.Int32(32768);
        w.Int32(1);
        w.Int32(16384);
        w.Byte(4);
        w.Byte(5);
        w.Int32(2);
        w.Int32(4);
        Tensor(w, "conv2d_0.weights", [1, 4, 32768, 32768], 0);
        Tensor(w, "conv2d_0.bias", [1], 1);
        Tensor(w, "dense_0.weights", [2, 4], 8);
        Tensor(w, "dense_0.bias", [2], 2);
        Action load = () => Network.Load(new MemoryStream(Envelope.Seal(FileKind.Model, w.ToArray())));
        load.Should().Throw<ModelFormatException>().WithMessage("*not valid*conv2d_0.weights*more than*");
    }

    [TestCase(float.NaN)]
    [TestCase(float.PositiveInfinity)]
    [TestCase(float.NegativeInfinity)]
    public void A_weight_that_is_not_finite_is_refused(float value)
    {
        byte[] file = Patched(Small(), "parameter 2 values [3]", p => BinaryPrimitives.WriteSingleLittleEndian(p, value));
        Action load = () => Network.Load(new MemoryStream(file));
        load.Should().Throw<ModelFormatException>().WithMessage($"(stream): dense_0.weights value 3 of * is {value}; every value must be finite*");
    }

    [Test]
    public void A_network_with_a_weight_that_is_not_finite_is_not_saved()
    {
        Network network = Small();
        network.Parameters[1].Values[1] = float.NaN;
        using var stream = new MemoryStream();
        FluentActions.Invoking(() => network.Save(stream)).Should().Throw<InvalidOperationException>()
            .WithMessage("Cannot save: conv2d_0.bias value 1 of 2 is NaN. Loading refuses*");
        stream.Length.Should().Be(0);
    }

    [Test]
    public void A_global_pool_with_a_size_is_refused()
    {
        var network = new Network(TensorShape.Image(1, 6, 6), new Conv2D(2, 3), AvgPool2D.Global(), new Flatten(), new Dense(2));
        byte[] file = Patched(network, "layer 1 setting 0", p => BinaryPrimitives.WriteInt32LittleEndian(p, 2));
        Action load = () => Network.Load(new MemoryStream(file));
        load.Should().Throw<ModelFormatException>().WithMessage("*a global AvgPool2D has size 2 and stride 0*");
    }

    [Test]
    public void A_parameter_of_the_wrong_rank_is_refused_before_its_dimensions_are_read()
    {
        byte[] file = Patched(Small(), "parameter 0 rank", p => p[0] = 200);
        Action load = () => Network.Load(new MemoryStream(file));
        load.Should().Throw<ModelFormatException>().WithMessage("*parameter conv2d_0.weights of rank 200 does not match the layers' conv2d_0.weights (2x1x3x3)*");
    }

    [Test]
    public void A_reserved_header_byte_that_is_not_zero_is_refused_even_with_a_correct_checksum()
    {
        using var stream = new MemoryStream();
        Small().Save(stream);
        byte[] file = stream.ToArray();
        file[7] = 1;
        SHA256.HashData(file.AsSpan(0, file.Length - 32), file.AsSpan(file.Length - 32));
        Action load = () => Network.Load(new MemoryStream(file));
        load.Should().Throw<ModelFormatException>().WithMessage("(stream): reserved header byte 7 is 1; this library writes 0 there");
    }

    private static Network Small()
    {
        var network = new Network(TensorShape.Image(1, 6, 6), new Conv2D(2, 3), new ReLU(), new MaxPool2D(2), new Flatten(), new Dense(3));
        network.Initialize(4);
        return network;
    }

    /// <summary>The model file of <paramref name="network"/> with the named field changed and the checksum made right again.</summary>
    internal static byte[] Patched(Network network, string field, SpanAction patch)
    {
        using var stream = new MemoryStream();
        network.Save(stream);
        byte[] payload = Mutants.PayloadOf(stream.ToArray());
        Field f = FieldMap.OfModel(payload).Single(f => f.Name == field);
        patch(payload.AsSpan(f.Offset, f.Width));
        return Mutants.Reseal(FileKind.Model, payload);
    }

    private static void Tensor(PayloadWriter w, string name, int[] shape, int values)
    {
        w.Text(name);
        w.Byte((byte)shape.Length);
        foreach (int d in shape)
        {
            w.Int32(d);
        }

        w.Singles(new float[values]);
    }

    internal delegate void SpanAction(Span<byte> field);
}
