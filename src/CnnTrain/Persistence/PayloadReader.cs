using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;

namespace CnnTrain.Persistence;

/// <summary>
/// Reads what <see cref="PayloadWriter"/> wrote. Every read checks the bytes that remain first, and every
/// count is checked against them before anything is allocated, so a lying count cannot exhaust memory.
/// </summary>
internal sealed class PayloadReader(ReadOnlyMemory<byte> payload, string path)
{
    private int _position;

    public string Path => path;

    public bool AtEnd => _position == payload.Length;

    public byte Byte() => Take(1)[0];

    public bool Boolean(string what = "flag")
    {
        byte value = Byte();
        return value switch
        {
            0 => false,
            1 => true,
            _ => throw Fail($"{what} is {value}; a flag is 0 or 1"),
        };
    }

    public int Int32() => BinaryPrimitives.ReadInt32LittleEndian(Take(4));

    public long Int64() => BinaryPrimitives.ReadInt64LittleEndian(Take(8));

    public float Single() => BitConverter.Int32BitsToSingle(Int32());

    public double Double() => BitConverter.Int64BitsToDouble(BinaryPrimitives.ReadInt64LittleEndian(Take(8)));

    public int Count(string what, int elementBytes)
    {
        int count = Int32();
        if (count < 0 || (long)count * elementBytes > payload.Length - _position)
        {
            throw Fail($"{what} count {count} does not fit in the {payload.Length - _position} bytes that remain");
        }

        return count;
    }

    public string Text(string what) => Encoding.UTF8.GetString(Take(Count(what, 1)));

    public float[] Singles(string what)
    {
        int count = Count(what, sizeof(float));
        var values = new float[count];
        Take(count * sizeof(float)).CopyTo(MemoryMarshal.AsBytes(values.AsSpan()));
        return values;
    }

    public ModelFormatException Fail(string problem) => new(path, $"{problem} (at byte {_position} of the payload)");

    private ReadOnlySpan<byte> Take(int bytes)
    {
        if (bytes > payload.Length - _position)
        {
            throw Fail($"truncated: {bytes} more bytes were expected, {payload.Length - _position} remain");
        }

        ReadOnlySpan<byte> span = payload.Span.Slice(_position, bytes);
        _position += bytes;
        return span;
    }
}
