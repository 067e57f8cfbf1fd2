using System.Buffers.Binary;
using System.Runtime.InteropServices;
using CnnTrain.Devices.Cuda.Interop;
using FluentAssertions;
using NUnit.Framework;

namespace CnnTrain.Tests.Cuda;

public class KernelArgumentsTests
{
    [Test]
    public void Packs_each_value_at_an_offset_aligned_to_its_size()
    {
        Span<byte> values = stackalloc byte[64];
        Span<nint> slots = stackalloc nint[8];
        var arguments = new KernelArguments(values, slots);

        arguments.Add((byte)0x11);
        arguments.Add((short)0x2233);
        arguments.Add(0x44556677);
        arguments.Add(1.5);
        arguments.Add((sbyte)-2);
        arguments.Add(0x0102030405060708UL);
        arguments.Add(2.5f);

        arguments.Count.Should().Be(7);
        int[] offsets = [0, 2, 4, 8, 16, 24, 32];
        for (int i = 0; i < offsets.Length; i++)
        {
            arguments.OffsetOf(i).Should().Be(offsets[i], $"argument {i}");
        }

        arguments.ByteCount.Should().Be(36);
        var packed = arguments.Values;
        packed[0].Should().Be(0x11);
        BinaryPrimitives.ReadInt16LittleEndian(packed[2..]).Should().Be(0x2233);
        BinaryPrimitives.ReadInt32LittleEndian(packed[4..]).Should().Be(0x44556677);
        BinaryPrimitives.ReadDoubleLittleEndian(packed[8..]).Should().Be(1.5);
        ((sbyte)packed[16]).Should().Be(-2);
        BinaryPrimitives.ReadUInt64LittleEndian(packed[24..]).Should().Be(0x0102030405060708UL);
        BinaryPrimitives.ReadSingleLittleEndian(packed[32..]).Should().Be(2.5f);
    }

    [Test]
    public void Packs_structs_at_their_natural_alignment()
    {
        Span<byte> values = stackalloc byte[64];
        Span<nint> slots = stackalloc nint[4];
        var arguments = new KernelArguments(values, slots);

        arguments.Add((byte)1);
        arguments.Add(new Float3(1f, 2f, 3f));
        arguments.Add((byte)2);
        arguments.Add(new Int4(4, 5, 6, 7));

        arguments.OffsetOf(1).Should().Be(4);
        arguments.OffsetOf(2).Should().Be(16);
        arguments.OffsetOf(3).Should().Be(32);
        MemoryMarshal.Read<Float3>(arguments.Values[4..]).Should().Be(new Float3(1f, 2f, 3f));
        MemoryMarshal.Read<Int4>(arguments.Values[32..]).Should().Be(new Int4(4, 5, 6, 7));
    }

    [TestCase(1, 1)]
    [TestCase(2, 2)]
    [TestCase(4, 4)]
    [TestCase(8, 8)]
    [TestCase(12, 4)]
    [TestCase(16, 16)]
    [TestCase(24, 8)]
    [TestCase(32, 16)]
    public void Alignment_is_the_largest_power_of_two_dividing_the_size_up_to_16(int size, int alignment) =>
        KernelArguments.AlignmentOf(size).Should().Be(alignment);

    [Test]
    public void Slots_point_at_the_values_only_while_pinned()
    {
        Span<byte> values = stackalloc byte[32];
        Span<nint> slots = stackalloc nint[4];
        var arguments = new KernelArguments(values, slots);
        arguments.Add(7);
        arguments.Add(8L);
        const nint Base = 0x10000;

        arguments.PointSlotsAt(Base);
        slots[0].Should().Be(Base);
        slots[1].Should().Be(Base + 8);

        arguments.RestoreSlotOffsets(Base);
        arguments.OffsetOf(0).Should().Be(0);
        arguments.OffsetOf(1).Should().Be(8);
    }

    [Test]
    public void Rejects_a_value_that_does_not_fit()
    {
        Action add = () =>
        {
            Span<byte> values = stackalloc byte[12];
            Span<nint> slots = stackalloc nint[4];
            var arguments = new KernelArguments(values, slots);
            arguments.Add(1);
            arguments.Add(2L);
        };

        add.Should().Throw<InvalidOperationException>().WithMessage("*12 bytes of value storage*");
    }

    [Test]
    public void Rejects_more_arguments_than_slots()
    {
        Action add = () =>
        {
            Span<byte> values = stackalloc byte[64];
            Span<nint> slots = stackalloc nint[1];
            var arguments = new KernelArguments(values, slots);
            arguments.Add(1);
            arguments.Add(2);
        };

        add.Should().Throw<InvalidOperationException>().WithMessage("*holds 1 arguments*");
    }

    [Test]
    public void Offset_of_a_missing_argument_throws()
    {
        Action read = () =>
        {
            Span<byte> values = stackalloc byte[8];
            Span<nint> slots = stackalloc nint[1];
            var arguments = new KernelArguments(values, slots);
            arguments.Add(1);
            _ = arguments.OffsetOf(1);
        };

        read.Should().Throw<ArgumentOutOfRangeException>();
    }

    private readonly record struct Float3(float X, float Y, float Z);

    private readonly record struct Int4(int X, int Y, int Z, int W);
}
