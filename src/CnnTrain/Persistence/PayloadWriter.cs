using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;

namespace CnnTrain.Persistence;

/// <summary>Little-endian primitives appended to a growing buffer.</summary>
internal sealed class PayloadWriter
{
    private readonly MemoryStream _stream = new();

    public void Byte(byte value) => _stream.WriteByte(value);

    public void Boolean(bool value) => Byte(value ? (byte)1 : (byte)0);

    public void Int64(long value)
    {
        Span<byte> bytes = stackalloc byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(bytes, value);
        _stream.Write(bytes);
    }

    public void Int32(int value)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(bytes, value);
        _stream.Write(bytes);
    }

    public void Single(float value) => Int32(BitConverter.SingleToInt32Bits(value));

    public void Double(double value)
    {
        Span<byte> bytes = stackalloc byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(bytes, BitConverter.DoubleToInt64Bits(value));
        _stream.Write(bytes);
    }

    public void Text(string value)
    {
        byte[] utf8 = Encoding.UTF8.GetBytes(value);
        Int32(utf8.Length);
        _stream.Write(utf8);
    }

    public void Singles(ReadOnlySpan<float> values)
    {
        Int32(values.Length);
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("CnnTrain files are written on little-endian machines.");
        }

        _stream.Write(MemoryMarshal.AsBytes(values));
    }

    public byte[] ToArray() => _stream.ToArray();
}
