using System.Buffers.Binary;
using CnnTrain.Persistence;

namespace CnnTrain.Tests.Persistence.Fuzzing;

/// <summary>
/// The damaged files made from one seed file, in a fixed order from a fixed seed so that a failure reproduces. Most
/// are resealed (<see cref="Reseal"/>): their checksum is right and only the reader's own checks stand between them
/// and a model; the "frame" family keeps the stale checksum and must be caught by the envelope.
/// </summary>
internal static class Mutants
{
    public const string FieldOverwrite = "field overwritten with an extreme value";
    public const string CodeByte = "code byte set to each of 0..255";
    public const string FlagByte = "flag byte set to each of 2..255";
    public const string ValueOverwrite = "float value set to NaN, infinity or an extreme";
    public const string Truncation = "payload cut at a field boundary";
    public const string Deletion = "field deleted";
    public const string Insertion = "bytes inserted before a field";
    public const string ByteFlip = "one random bit flipped";
    public const string RandomBytes = "2 to 8 random bytes replaced";
    public const string Window = "extreme int32 or int64 written at a random offset";
    public const string Frame = "frame damaged, checksum left stale";
    public const string Header = "header byte changed, checksum recomputed";

    private const int HeaderBytes = 16;
    private const int ChecksumBytes = 32;

    private static readonly int[] Int32Extremes =
        [0, 1, -1, 2, 3, 255, 256, 46341, 65536, 1 << 20, 1 << 24, 1 << 30, int.MaxValue - 1, int.MaxValue, int.MinValue,
         0x7FC00000, 0x7F800000, unchecked((int)0xFF800000)];

    private static readonly long[] Int64Extremes =
        [0, 1, -1, int.MaxValue, 1L << 40, long.MaxValue, long.MinValue, BitConverter.DoubleToInt64Bits(double.NaN)];

    private static readonly float[] SingleExtremes =
        [float.NaN, -float.NaN, float.PositiveInfinity, float.NegativeInfinity, float.MaxValue, -float.MaxValue,
         0f, -0f, float.Epsilon, 1e-38f, 1f, -1f, 2f, 0.5f, 0.99999994f, 1e30f];

    private static readonly double[] DoubleExtremes =
        [double.NaN, double.PositiveInfinity, double.NegativeInfinity, double.MaxValue, 1e300, -1e300, 0, -0.0, -1, 1,
         1.0000000000000002, 2, 0.5, double.Epsilon, 1e-300, TimeSpan.MaxValue.TotalSeconds, 1e12];

    private static readonly byte[] TextBytes = [0x00, 0x41, 0x7F, 0x80, 0xC0, 0xFF];

    public static byte[] PayloadOf(byte[] file) => file[HeaderBytes..^ChecksumBytes];

    /// <summary>Frames <paramref name="payload"/> as the library does, with a correct length and checksum.</summary>
    public static byte[] Reseal(FileKind kind, ReadOnlySpan<byte> payload) => Envelope.Seal(kind, payload);

    /// <summary>Every mutant of <paramref name="file"/>, whose payload <paramref name="fields"/> maps; <paramref name="randoms"/> of each random family.</summary>
    public static IEnumerable<Mutant> Of(string seedName, byte[] file, FileKind kind, IReadOnlyList<Field> fields, int seed, int randoms)
    {
        byte[] payload = PayloadOf(file);
        var random = new Random(seed);
        Field[] structure = [.. fields.Where(f => f.Kind != FieldKind.Value)];

        Mutant Sealed(string family, string what, byte[] changed) => new(family, $"{seedName}: {what}", Reseal(kind, changed));

        foreach (Field f in structure)
        {
            foreach ((string family, byte[] value) in Replacements(f, payload))
            {
                byte[] changed = (byte[])payload.Clone();
                value.CopyTo(changed, f.Offset);
                yield return Sealed(family, $"{f} = {Convert.ToHexString(value)}", changed);
            }
        }

        // A few values of every float array: the first, the last and two drawn at random.
        foreach (IGrouping<string, Field> array in fields.Where(f => f.Kind == FieldKind.Value).GroupBy(f => f.Name[..f.Name.IndexOf('[', StringComparison.Ordinal)]))
        {
            Field[] values = [.. array];
            foreach (Field f in new[] { values[0], values[^1], values[random.Next(values.Length)], values[random.Next(values.Length)] })
            {
                foreach (float extreme in SingleExtremes)
                {
                    byte[] changed = (byte[])payload.Clone();
                    BinaryPrimitives.WriteSingleLittleEndian(changed.AsSpan(f.Offset), extreme);
                    yield return Sealed(ValueOverwrite, $"{f} = {extreme:R}", changed);
                }
            }
        }

        foreach (Field f in structure)
        {
            yield return Sealed(Truncation, $"cut before {f}", payload[..f.Offset]);
            yield return Sealed(Deletion, $"without {f}", [.. payload[..f.Offset], .. payload[f.End..]]);
            foreach (byte[] inserted in new byte[][] { [0], [0xFF], [1, 0, 0, 0], [0xFF, 0xFF, 0xFF, 0x7F], payload[f.Offset..f.End] })
            {
                yield return Sealed(Insertion, $"{Convert.ToHexString(inserted)} before {f}", [.. payload[..f.Offset], .. inserted, .. payload[f.Offset..]]);
            }
        }

        yield return Sealed(Truncation, "last byte cut", payload[..^1]);
        yield return Sealed(Insertion, "00 after the end", [.. payload, 0]);

        for (int i = 0; i < randoms; i++)
        {
            byte[] changed = (byte[])payload.Clone();
            int at = random.Next(changed.Length), bit = random.Next(8);
            changed[at] ^= (byte)(1 << bit);
            yield return Sealed(ByteFlip, $"bit {bit} of byte {at}", changed);
        }

        for (int i = 0; i < randoms; i++)
        {
            byte[] changed = (byte[])payload.Clone();
            int count = random.Next(2, 9);
            for (int j = 0; j < count; j++)
            {
                changed[random.Next(changed.Length)] = (byte)random.Next(256);
            }

            yield return Sealed(RandomBytes, $"{count} bytes, draw {i}", changed);
        }

        for (int i = 0; i < randoms; i++)
        {
            byte[] changed = (byte[])payload.Clone();
            bool wide = random.Next(2) == 0;
            int at = random.Next(changed.Length - (wide ? 8 : 4) + 1);
            if (wide)
            {
                BinaryPrimitives.WriteInt64LittleEndian(changed.AsSpan(at), Int64Extremes[random.Next(Int64Extremes.Length)]);
            }
            else
            {
                BinaryPrimitives.WriteInt32LittleEndian(changed.AsSpan(at), Int32Extremes[random.Next(Int32Extremes.Length)]);
            }

            yield return Sealed(Window, $"{(wide ? "int64" : "int32")} at byte {at}, draw {i}", changed);
        }

        foreach (Mutant m in FrameDamage(seedName, file, random, randoms))
        {
            yield return m;
        }
    }

    private static IEnumerable<(string Family, byte[] Value)> Replacements(Field f, byte[] payload)
    {
        ReadOnlySpan<byte> original = payload.AsSpan(f.Offset, f.Width);
        IEnumerable<(string, byte[])> all = f.Kind switch
        {
            FieldKind.Code => Enumerable.Range(0, 256).Select(v => (CodeByte, new[] { (byte)v })),
            FieldKind.Flag => Enumerable.Range(0, 256).Select(v => (v < 2 ? FieldOverwrite : FlagByte, new[] { (byte)v })),
            FieldKind.TextByte => TextBytes.Select(v => (FieldOverwrite, new[] { v })),
            FieldKind.Int32 or FieldKind.Count => Int32Extremes
                .Concat([BinaryPrimitives.ReadInt32LittleEndian(original) + 1, BinaryPrimitives.ReadInt32LittleEndian(original) - 1])
                .Select(v => (FieldOverwrite, Bytes(v))),
            FieldKind.Int64 => Int64Extremes
                .Concat([BinaryPrimitives.ReadInt64LittleEndian(original) + 1, BinaryPrimitives.ReadInt64LittleEndian(original) - 1])
                .Select(v => (FieldOverwrite, Bytes(v))),
            FieldKind.Single => SingleExtremes.Select(v => (FieldOverwrite, Bytes(BitConverter.SingleToInt32Bits(v)))),
            FieldKind.Double => DoubleExtremes.Select(v => (FieldOverwrite, Bytes(BitConverter.DoubleToInt64Bits(v)))),
            _ => [],
        };
        byte[] unchanged = original.ToArray();
        return all.Where(r => !r.Item2.AsSpan().SequenceEqual(unchanged)).DistinctBy(r => Convert.ToHexString(r.Item2));
    }

    // Damage the envelope must catch by itself: flipped bits anywhere, a wrong header, a cut or padded file.
    private static IEnumerable<Mutant> FrameDamage(string seedName, byte[] file, Random random, int randoms)
    {
        Mutant Raw(string what, byte[] bytes) => new(Frame, $"{seedName}: {what}", bytes);

        for (int i = 0; i < randoms; i++)
        {
            byte[] changed = (byte[])file.Clone();
            int at = random.Next(changed.Length), bit = random.Next(8);
            changed[at] ^= (byte)(1 << bit);
            yield return Raw($"bit {bit} of byte {at}", changed);
        }

        for (int i = 0; i < randoms / 4; i++)
        {
            int keep = random.Next(file.Length);
            yield return Raw($"cut to {keep} bytes", file[..keep]);
        }

        foreach (long length in new long[] { 0, -1, 1, file.Length, long.MaxValue, long.MinValue, int.MaxValue, file.Length - 48 - 1, file.Length - 48 + 1 })
        {
            byte[] changed = (byte[])file.Clone();
            BinaryPrimitives.WriteInt64LittleEndian(changed.AsSpan(8), length);
            yield return Raw($"payload length {length}", changed);
        }

        foreach ((int at, byte value) in new (int, byte)[] { (0, 0), (3, (byte)'X'), (4, 0), (4, 4), (5, 1), (6, 0), (6, 3), (6, 255), (7, 1) })
        {
            byte[] changed = (byte[])file.Clone();
            changed[at] = value;
            yield return Raw($"header byte {at} = {value}", changed);
        }

        for (int at = 4; at < HeaderBytes; at++)
        {
            foreach (byte value in new byte[] { 0, 1, 2, 3, 0x80, 0xFF })
            {
                if (file[at] != value)
                {
                    byte[] changed = (byte[])file.Clone();
                    changed[at] = value;
                    Rehash(changed);
                    yield return new Mutant(Header, $"{seedName}: header byte {at} = {value}", changed);
                }
            }
        }

        yield return Raw("empty", []);
        yield return Raw("one byte more", [.. file, 0]);
    }

    // The checksum of a file whose header was changed: what a careless tool that "fixes up" files would write.
    private static void Rehash(byte[] file)
    {
        int end = file.Length - ChecksumBytes;
        System.Security.Cryptography.SHA256.HashData(file.AsSpan(0, end), file.AsSpan(end));
    }

    private static byte[] Bytes(int value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(bytes, value);
        return bytes;
    }

    private static byte[] Bytes(long value)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(bytes, value);
        return bytes;
    }
}
