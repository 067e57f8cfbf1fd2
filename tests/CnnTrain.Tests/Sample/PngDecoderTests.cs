using CnnTrain.Mnist.Prediction;
using CnnTrain.Tests.Support;
using FluentAssertions;
using NUnit.Framework;

namespace CnnTrain.Tests.Sample;

public class PngDecoderTests
{
    [Test]
    public void DecodesGrayRowsUnderEveryFilter()
    {
        byte[] pixels = [.. Enumerable.Range(0, 28 * 28).Select(i => (byte)((i * 37) ^ (i >> 3)))];
        byte[] png = PngWriter.Write(28, 28, 0, pixels, row => row % 5);
        GrayImage image = PngDecoder.Decode(png);
        (image.Width, image.Height).Should().Be((28, 28));
        image.Pixels.Should().Equal(pixels);
    }

    [Test]
    public void ConvertsColourAndAlphaOneFixedWay()
    {
        byte[] rgba = [255, 0, 0, 255, 0, 255, 0, 255, 0, 0, 255, 128, 200, 200, 200, 0];
        GrayImage image = PngDecoder.Decode(PngWriter.Write(2, 2, 6, rgba, row => row == 0 ? 4 : 3));
        // (299 R + 587 G + 114 B + 500) / 1000, then times alpha / 255 rounded: red, green, half-transparent blue, transparent gray.
        image.Pixels.Should().Equal(76, 150, 15, 0);
        PngDecoder.Decode(PngWriter.Write(2, 1, 4, [200, 255, 200, 51], _ => 1)).Pixels.Should().Equal(200, 40);
    }

    [Test]
    public void RejectsWhatItCannotRead()
    {
        byte[] good = PngWriter.Write(3, 3, 0, new byte[9], _ => 0);
        FluentActions.Invoking(() => PngDecoder.Decode("GIF89a.."u8)).Should().Throw<PngFormatException>().WithMessage("*signature*");

        byte[] damaged = (byte[])good.Clone();
        damaged[20] ^= 1;
        FluentActions.Invoking(() => PngDecoder.Decode(damaged)).Should().Throw<PngFormatException>().WithMessage("*CRC*");

        FluentActions.Invoking(() => PngDecoder.Decode(good.AsSpan(0, good.Length - 20))).Should().Throw<PngFormatException>().WithMessage("*truncated*");

        byte[] sixteenBit = (byte[])good.Clone();
        sixteenBit[24] = 16;
        FixCrc(sixteenBit, 8);
        FluentActions.Invoking(() => PngDecoder.Decode(sixteenBit)).Should().Throw<PngFormatException>().WithMessage("*16-bit*");

        byte[] huge = (byte[])good.Clone();
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(huge.AsSpan(16), 100_000);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(huge.AsSpan(20), 100_000);
        FixCrc(huge, 8);
        FluentActions.Invoking(() => PngDecoder.Decode(huge)).Should().Throw<PngFormatException>().WithMessage("*100000x100000*");
    }

    private static void FixCrc(byte[] png, int chunk)
    {
        int length = System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(chunk));
        uint crc = CnnTrain.Mnist.Charts.Crc32.Compute(png.AsSpan(chunk + 4, 4 + length));
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(png.AsSpan(chunk + 8 + length), crc);
    }
}
