using System.Buffers.Binary;
using System.Diagnostics;
using System.IO.Compression;
using CnnTrain.Data;
using CnnTrain.Tests.Support;
using FluentAssertions;
using NUnit.Framework;

namespace CnnTrain.Tests.Data;

/// <summary>
/// Fuzzes the IDX reader in memory: 14 kinds × 1,000 = 14,000 inputs per run, each from its own seed
/// (<see cref="Seed"/> + its number), so a failure names the seed that makes its input again
/// (<see cref="IdxFuzzInputs.Make"/>).
/// Raw (6,000): valid files (must read); 1 to 4 byte flips, half of them in the header; truncations;
/// insertions of 1 to 16 bytes; changed dimensions (zero, negative, 2^k, Array.MaxLength and one more,
/// int.MaxValue, near the old value; a third of the small ones with the data resized, which must read);
/// concatenations (two files, a file and random bytes, one header with another's data).
/// Gzip (8,000): valid files at all four compression levels (must read); files split into 2 to 4 members,
/// empty ones among them (must read); any raw mutation above, compressed (lying headers with honest
/// trailers); byte flips, truncations and insertions in the compressed bytes; forged trailers (random or
/// off-by-one sizes, random CRCs, and a header promising megabytes to gigabytes with a size trailer forged
/// to agree); members followed by other members, an empty member, random bytes or a cut member.
/// One input in ten that may be invalid is read with a rank of 1 to 4 chosen at random; odd-numbered raw
/// inputs are read from a stream with no length, the rest from one that can seek.
/// For every input the reader returns data as long as its dimensions say and equal to a separate reference
/// decoding, or throws IdxFormatException naming the input where the reference finds the input invalid;
/// nothing else is thrown, no call takes over <see cref="CallLimit"/>, and none allocates more than 64 KiB +
/// 2 × the larger of the input and the decompressed bytes it holds. About 0.6 s on 2 cores.
/// </summary>
public class IdxFuzzTests
{
    private const int Seed = 20_260_412;
    private const int PerKind = 1000;
    private const long AllocationSlack = 64 * 1024;
    private const string Name = "fuzz-input";

    // The reference decoding stops here; no input of these sizes inflates anywhere near it.
    private const int ReferenceCap = 64 << 20;

    private static readonly TimeSpan CallLimit = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan RunLimit = TimeSpan.FromSeconds(60);

    [Test]
    public void EveryInputReadsAsTheReferenceDoesOrFailsWithIdxFormatException()
    {
        IdxFuzzKind[] kinds = Enum.GetValues<IdxFuzzKind>();
        var read = new int[kinds.Length];
        var rejected = new int[kinds.Length];
        var failures = new List<string>();
        int current = -1;
        Exception? crash = null;
        var worker = new Thread(() =>
        {
            try
            {
                for (int i = 0; i < kinds.Length * PerKind; i++)
                {
                    Volatile.Write(ref current, i);
                    IdxFuzzInput input = IdxFuzzInputs.Make(kinds[i / PerKind], Seed + i);
                    string? problem = Check(input, i % 2 == 1, out bool accepted);
                    (accepted ? read : rejected)[i / PerKind]++;
                    if (problem is not null)
                    {
                        failures.Add($"{input.Kind} seed {input.Seed} (rank {input.Rank}, {input.Bytes.Length} bytes "
                            + $"{Convert.ToHexString(input.Bytes.AsSpan(0, Math.Min(40, input.Bytes.Length)))}...): {problem}");
                    }
                }
            }
            catch (Exception e)
            {
                crash = e;
            }
        })
        { IsBackground = true, Name = "IDX fuzz" };

        var watch = Stopwatch.StartNew();
        worker.Start();
        bool finished = worker.Join(RunLimit);
        watch.Stop();

        finished.Should().BeTrue($"the fuzz run should end within {RunLimit}; it is stuck at input {Volatile.Read(ref current)} (seed {Seed + Volatile.Read(ref current)})");
        crash.Should().BeNull("making and checking inputs should not fail outside the reader");
        for (int k = 0; k < kinds.Length; k++)
        {
            TestContext.Out.WriteLine($"{kinds[k],-20} {PerKind} inputs: {read[k],4} read, {rejected[k],4} rejected");
        }

        TestContext.Out.WriteLine($"{kinds.Length * PerKind} inputs in {watch.Elapsed.TotalSeconds:F2} s");
        failures.Should().BeEmpty($"{failures.Count} inputs went wrong; the first: {string.Join(Environment.NewLine, failures.Take(10))}");
        for (int k = 0; k < kinds.Length; k++)
        {
            (read[k] + rejected[k]).Should().Be(PerKind);
            if (kinds[k] is not (IdxFuzzKind.RawValid or IdxFuzzKind.GzipValid or IdxFuzzKind.GzipMultiMember))
            {
                rejected[k].Should().BePositive($"{kinds[k]} should make invalid inputs too, or it tests nothing");
            }
        }
    }

    private static string? Check(IdxFuzzInput input, bool forwardOnly, out bool accepted)
    {
        (byte[]? content, long produced) = input.Compressed ? Decompress(input.Bytes) : (input.Bytes, input.Bytes.Length);
        byte[]? expected = content is null ? null : ReferenceParse(content, input.Rank);
        long bound = AllocationSlack + (2 * Math.Max(input.Bytes.Length, produced));

        Attempt attempt = Run(input, forwardOnly);

        // A first failure of its kind can allocate once for the runtime (resource strings, types); a repeat
        // of the same input shows what the reader itself allocates.
        if (attempt.Allocated > bound)
        {
            attempt = Run(input, forwardOnly);
        }

        accepted = attempt.Data is not null;
        if (attempt.Elapsed > CallLimit)
        {
            return $"took {attempt.Elapsed.TotalSeconds:F2} s";
        }

        if (attempt.Allocated > bound)
        {
            return $"allocated {attempt.Allocated} bytes, over the bound of {bound}";
        }

        if (attempt.Error is IdxFormatException format)
        {
            return format.Path != Name || !format.Message.StartsWith(Name + ": ", StringComparison.Ordinal) ? $"the error does not name the input: {format.Message}"
                : input.MustRead is not null ? $"rejected a valid input: {format.Message}"
                : expected is not null ? $"rejected an input the reference reads: {format.Message}"
                : null;
        }

        if (attempt.Error is Exception other)
        {
            return $"threw {other.GetType().Name}, not IdxFormatException: {other.Message}";
        }

        long length = attempt.Dimensions!.Aggregate(1L, (a, d) => a * d);
        return attempt.Dimensions!.Length != input.Rank ? $"read {attempt.Dimensions!.Length} dimensions for rank {input.Rank}"
            : length != attempt.Data!.Length ? $"read {attempt.Data!.Length} bytes for dimensions of {length}"
            : expected is null ? "read an input that the reference rejects"
            : !attempt.Data!.AsSpan().SequenceEqual(expected) ? "read other data than the reference"
            : input.MustRead is not null && !attempt.Data!.AsSpan().SequenceEqual(input.MustRead) ? "read other data than the input was made of"
            : null;
    }

    private static Attempt Run(IdxFuzzInput input, bool forwardOnly)
    {
        Stream stream = forwardOnly && !input.Compressed ? new ForwardOnlyStream(input.Bytes) : new MemoryStream(input.Bytes, writable: false);
        long started = Stopwatch.GetTimestamp();
        long before = GC.GetAllocatedBytesForCurrentThread();
        try
        {
            (int[] dims, byte[] data) = IdxReader.Read(stream, Name, input.Compressed, input.Rank);
            return new Attempt(dims, data, null, GC.GetAllocatedBytesForCurrentThread() - before, Stopwatch.GetElapsedTime(started));
        }
        catch (Exception e)
        {
            return new Attempt(null, null, e, GC.GetAllocatedBytesForCurrentThread() - before, Stopwatch.GetElapsedTime(started));
        }
    }

    /// <summary>All the bytes the gzip input decompresses to, or null if it is corrupt; and how many it gave.</summary>
    private static (byte[]? Content, long Produced) Decompress(byte[] input)
    {
        using var gzip = new GZipStream(new MemoryStream(input), CompressionMode.Decompress);
        using var output = new MemoryStream();
        var buffer = new byte[4096];
        try
        {
            int n;
            while ((n = gzip.Read(buffer)) > 0 && output.Length <= ReferenceCap)
            {
                output.Write(buffer, 0, n);
            }
        }
        catch (InvalidDataException)
        {
            return (null, output.Length);
        }

        return (output.Length > ReferenceCap ? null : output.ToArray(), output.Length);
    }

    /// <summary>The data of a valid rank-<paramref name="rank"/> unsigned-byte IDX file, or null: the format, read as simply as it can be.</summary>
    private static byte[]? ReferenceParse(byte[] content, int rank)
    {
        int header = 4 + (4 * rank);
        if (content.Length < header || content[0] != 0 || content[1] != 0 || content[2] != 0x08 || content[3] != rank)
        {
            return null;
        }

        long length = 1;
        for (int i = 0; i < rank; i++)
        {
            int dimension = BinaryPrimitives.ReadInt32BigEndian(content.AsSpan(4 + (4 * i)));
            length *= dimension;
            if (dimension <= 0 || length > Array.MaxLength)
            {
                return null;
            }
        }

        return content.Length - header == length ? content[header..] : null;
    }

    private readonly record struct Attempt(int[]? Dimensions, byte[]? Data, Exception? Error, long Allocated, TimeSpan Elapsed);
}
