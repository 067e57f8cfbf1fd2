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

    /// <summary>The file's format version, for codecs whose layout changed between versions.</summary>
    public ushort Version { get; init; } = 1;

    public bool AtEnd => _position == payload.Length;

    /// <summary>The bytes not read yet.</summary>
    public int Remaining => payload.Length - _position;

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

    /// <summary>
    /// Reads a float array of <paramref name="expected"/> values, checking the count against it and the bytes that remain
    /// before allocating, and refusing NaN and infinite values: this library never writes them.
    /// </summary>
    public float[] FiniteSingles(string what, int expected)
    {
        var values = new float[ExpectCount(what, expected)];
        ReadFinite(what, values);
        return values;
    }

    /// <summary>Reads a float array of exactly <paramref name="destination"/>'s length into it, as <see cref="FiniteSingles(string, int)"/> does.</summary>
    public void FiniteSingles(string what, Span<float> destination)
    {
        ExpectCount(what, destination.Length);
        ReadFinite(what, destination);
    }

    public ModelFormatException Fail(string problem) => FailAt(_position, problem);

    public ModelFormatException FailAt(int position, string problem) => new(path, $"{problem} (at byte {position} of the payload)");

    private int ExpectCount(string what, int expected)
    {
        int count = Count(what, sizeof(float));
        return count == expected ? count : throw Fail($"{what} count is {count}; {expected} values were expected");
    }

    private void ReadFinite(string what, Span<float> destination)
    {
        int start = _position;
        Take(destination.Length * sizeof(float)).CopyTo(MemoryMarshal.AsBytes(destination));
        int bad = SavedValues.FirstNonFinite(destination);
        if (bad >= 0)
        {
            throw FailAt(start + (bad * sizeof(float)), $"{what} {bad} of {destination.Length} is {destination[bad]}; every value must be finite");
        }
    }

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
