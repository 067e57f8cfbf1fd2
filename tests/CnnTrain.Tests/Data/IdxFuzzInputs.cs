using System.Buffers.Binary;
using System.IO.Compression;
using static CnnTrain.Tests.Support.IdxBytes;

namespace CnnTrain.Tests.Data;

/// <summary>How a fuzz input was made from a valid IDX file: the raw kinds, then from GzipValid on the gzip ones.</summary>
public enum IdxFuzzKind
{
    RawValid,
    RawByteFlip,
    RawTruncation,
    RawInsertion,
    RawChangedDimension,
    RawConcatenation,
    GzipValid,
    GzipMultiMember,
    GzipOfMutatedRaw,
    GzipByteFlip,
    GzipTruncation,
    GzipInsertion,
    GzipForgedTrailer,
    GzipConcatenation,
}

/// <summary>One fuzz input: the bytes, how to read them, and, where the input is known to be valid, its data.</summary>
public sealed record IdxFuzzInput(IdxFuzzKind Kind, int Seed, byte[] Bytes, bool Compressed, int Rank, byte[]? MustRead);

/// <summary>
/// Makes fuzz inputs from small random valid IDX files (rank 1 to 3, up to 3,200 data bytes of random,
/// repetitive, zero or ramp content), each input from its own seed so that one input can be made again alone.
/// </summary>
public static class IdxFuzzInputs
{
    private static readonly CompressionLevel[] Levels =
        [CompressionLevel.Optimal, CompressionLevel.Fastest, CompressionLevel.NoCompression, CompressionLevel.SmallestSize];

    public static IdxFuzzInput Make(IdxFuzzKind kind, int seed)
    {
        var random = new Random(seed);
        Valid valid = Base(random);
        (byte[] bytes, byte[]? mustRead) = kind switch
        {
            IdxFuzzKind.RawValid => (valid.Content, valid.Data),
            IdxFuzzKind.RawByteFlip => (Flip(random, valid.Content, HeaderLength(valid.Rank)), null),
            IdxFuzzKind.RawTruncation => (valid.Content[..random.Next(valid.Content.Length)], null),
            IdxFuzzKind.RawInsertion => (Insert(random, valid.Content), null),
            IdxFuzzKind.RawChangedDimension => ChangeDimension(random, valid),
            IdxFuzzKind.RawConcatenation => (ConcatenateRaw(random, valid), null),
            IdxFuzzKind.GzipValid => (Gzip(valid.Content, Level(random)), valid.Data),
            IdxFuzzKind.GzipMultiMember => (Members(random, valid.Content), valid.Data),
            IdxFuzzKind.GzipOfMutatedRaw => GzipOfMutated(random, valid),
            IdxFuzzKind.GzipByteFlip => (Flip(random, Gzip(valid.Content, Level(random)), 10), null),
            IdxFuzzKind.GzipTruncation => (Truncate(random, Gzip(valid.Content, Level(random))), null),
            IdxFuzzKind.GzipInsertion => (Insert(random, Gzip(valid.Content, Level(random))), null),
            IdxFuzzKind.GzipForgedTrailer => (ForgeTrailer(random, valid), null),
            IdxFuzzKind.GzipConcatenation => (ConcatenateGzip(random, valid), null),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "no such fuzz kind"),
        };

        // One input in ten (of the kinds that may be invalid) is read with a rank of its own choosing.
        bool anyRank = mustRead is null && random.Next(10) == 0;
        int rank = anyRank ? random.Next(1, 5) : valid.Rank;
        return new IdxFuzzInput(kind, seed, bytes, kind >= IdxFuzzKind.GzipValid, rank, rank == valid.Rank ? mustRead : null);
    }

    private static Valid Base(Random random)
    {
        int rank = random.Next(1, 4);
        int[] dims = rank switch
        {
            1 => [random.Next(1, 600)],
            2 => [random.Next(1, 40), random.Next(1, 40)],
            _ => [random.Next(1, 8), random.Next(1, 20), random.Next(1, 20)],
        };
        return new Valid(rank, Idx(dims, Payload(random, dims.Aggregate(1, (a, d) => a * d))));
    }

    private static byte[] Payload(Random random, int length)
    {
        var payload = new byte[length];
        switch (random.Next(4))
        {
            case 0:
                random.NextBytes(payload);
                break;
            case 1:
                for (int i = 0; i < length; i++)
                {
                    payload[i] = (byte)random.Next(3);
                }

                break;
            case 2:
                break;
            default:
                for (int i = 0; i < length; i++)
                {
                    payload[i] = (byte)(i * 7);
                }

                break;
        }

        return payload;
    }

    private static CompressionLevel Level(Random random) => Levels[random.Next(Levels.Length)];

    // Half of the flips land in the first `focus` bytes (the IDX or gzip header), where they matter most.
    private static byte[] Flip(Random random, byte[] original, int focus)
    {
        byte[] bytes = (byte[])original.Clone();
        int flips = random.Next(1, 5);
        for (int i = 0; i < flips; i++)
        {
            int position = random.Next(2) == 0 ? random.Next(Math.Min(focus, bytes.Length)) : random.Next(bytes.Length);
            bytes[position] ^= (byte)random.Next(1, 256);
        }

        return bytes;
    }

    private static byte[] Truncate(Random random, byte[] original) => original[..random.Next(original.Length)];

    private static byte[] Insert(Random random, byte[] original)
    {
        int position = random.Next(original.Length + 1);
        var inserted = new byte[random.Next(1, 17)];
        random.NextBytes(inserted);
        return [.. original.AsSpan(0, position), .. inserted, .. original.AsSpan(position)];
    }

    // Dimensions from the edges (zero, negative, huge, the maximum) and near the old value; a third of the
    // changes that stay small also resize the data to agree, which makes a valid file.
    private static (byte[] Bytes, byte[]? MustRead) ChangeDimension(Random random, Valid valid)
    {
        int[] dims = valid.Dims;
        int index = random.Next(valid.Rank);
        dims[index] = random.Next(9) switch
        {
            0 => 0,
            1 => -random.Next(1, int.MaxValue),
            2 => int.MaxValue,
            3 => Array.MaxLength,
            4 => Array.MaxLength + 1,
            5 => 1 << random.Next(31),
            6 => Math.Max(1, dims[index] + random.Next(-2, 3)),
            7 => random.Next(),
            _ => random.Next(1, 64),
        };
        long length = dims.Aggregate(1L, (a, d) => a * d);
        if (length > 0 && length <= 8192 && dims.All(d => d > 0) && random.Next(3) == 0)
        {
            byte[] payload = Payload(random, (int)length);
            return (Idx(dims, payload), payload);
        }

        byte[] bytes = (byte[])valid.Content.Clone();
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4 + (4 * index)), dims[index]);
        return (bytes, null);
    }

    private static byte[] ConcatenateRaw(Random random, Valid valid)
    {
        Valid other = Base(random);
        return random.Next(4) switch
        {
            0 => [.. valid.Content, .. other.Content],
            1 => [.. valid.Content, .. RandomBytes(random, random.Next(1, 17))],
            2 => [.. valid.Content.AsSpan(0, HeaderLength(valid.Rank)), .. other.Data],
            _ => [.. valid.Content, .. valid.Content],
        };
    }

    private static (byte[] Bytes, byte[]? MustRead) GzipOfMutated(Random random, Valid valid)
    {
        (byte[] raw, byte[]? mustRead) = random.Next(5) switch
        {
            0 => (Flip(random, valid.Content, HeaderLength(valid.Rank)), null),
            1 => (valid.Content[..random.Next(valid.Content.Length)], null),
            2 => (Insert(random, valid.Content), null),
            3 => ChangeDimension(random, valid),
            _ => (ConcatenateRaw(random, valid), (byte[]?)null),
        };
        return (Gzip(raw, Level(random)), mustRead);
    }

    // The content split at random points (equal points make empty members) into 2 to 4 members.
    private static byte[] Members(Random random, byte[] content)
    {
        int[] cuts = [0, .. Enumerable.Range(0, random.Next(1, 4)).Select(_ => random.Next(content.Length + 1)).Order(), content.Length];
        var file = new List<byte>();
        for (int i = 0; i + 1 < cuts.Length; i++)
        {
            file.AddRange(Gzip(content.AsSpan(cuts[i], cuts[i + 1] - cuts[i]), Level(random)));
        }

        return [.. file];
    }

    private static byte[] ForgeTrailer(Random random, Valid valid)
    {
        int mode = random.Next(5);
        byte[] content = valid.Content;
        if (mode == 4)
        {
            // The attack: a header that promises far more than it holds, with a size trailer that agrees.
            content = (byte[])content.Clone();
            BinaryPrimitives.WriteInt32BigEndian(content.AsSpan(4), random.Next(1 << 20, int.MaxValue));
        }

        byte[] file = Gzip(content, Level(random));
        Span<byte> crc = file.AsSpan(file.Length - 8, 4);
        Span<byte> size = file.AsSpan(file.Length - 4, 4);
        switch (mode)
        {
            case 0:
                BinaryPrimitives.WriteUInt32LittleEndian(size, (uint)random.NextInt64(uint.MaxValue + 1L));
                break;
            case 1:
                BinaryPrimitives.WriteUInt32LittleEndian(crc, (uint)random.NextInt64(uint.MaxValue + 1L));
                break;
            case 2:
                BinaryPrimitives.WriteUInt32LittleEndian(size, BinaryPrimitives.ReadUInt32LittleEndian(size) + (uint)(random.Next(2) * 2) - 1);
                break;
            case 3:
                random.NextBytes(file.AsSpan(file.Length - 8));
                break;
            default:
                long promised = HeaderLength(valid.Rank) + (1L * BinaryPrimitives.ReadInt32BigEndian(content.AsSpan(4)) * valid.Dims.Skip(1).Aggregate(1L, (a, d) => a * d));
                BinaryPrimitives.WriteUInt32LittleEndian(size, unchecked((uint)promised));
                break;
        }

        return file;
    }

    private static byte[] ConcatenateGzip(Random random, Valid valid)
    {
        Valid other = Base(random);
        byte[] header = valid.Content[..HeaderLength(valid.Rank)];
        return random.Next(6) switch
        {
            0 => [.. Gzip(valid.Content), .. Gzip(other.Content)],
            1 => [.. Gzip(valid.Content), .. RandomBytes(random, random.Next(1, 33))],
            2 => [.. Gzip(header), .. Gzip(valid.Data.AsSpan(0, random.Next(valid.Data.Length + 1)))],
            3 => [.. Gzip(valid.Content), .. Gzip(valid.Content)],
            4 => [.. Gzip(valid.Content), .. Gzip([]), .. Gzip(RandomBytes(random, 1))],
            _ => [.. Gzip(valid.Content), .. Truncate(random, Gzip(other.Content))],
        };
    }

    private static byte[] RandomBytes(Random random, int count)
    {
        var bytes = new byte[count];
        random.NextBytes(bytes);
        return bytes;
    }

    private sealed record Valid(int Rank, byte[] Content)
    {
        public int[] Dims => [.. Enumerable.Range(0, Rank).Select(i => BinaryPrimitives.ReadInt32BigEndian(Content.AsSpan(4 + (4 * i))))];

        public byte[] Data => Content[HeaderLength(Rank)..];
    }
}
