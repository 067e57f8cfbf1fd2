using System.Buffers.Binary;
using CnnTrain.Data;
using CnnTrain.Tests.Support;
using FluentAssertions;
using NUnit.Framework;
using static CnnTrain.Tests.Support.IdxBytes;

namespace CnnTrain.Tests.Data;

/// <summary>Gzip IDX files: lying headers and trailers, several members, data longer than one read.</summary>
public class IdxGzipTests : TempFolderTests
{
    private const long LittleAllocation = 1 << 20;

    [Test]
    public void AForgedSizeTrailerFailsFastHavingAllocatedLittle()
    {
        // A header promising about 2 GiB of images, nothing else, and a size trailer forged to keep that
        // promise: a reader that believes the trailer allocates the 2 GiB before it reads a byte of them.
        int[] dims = [1 << 15, 1 << 8, 255];
        long promised = 1L * dims[0] * dims[1] * dims[2];
        byte[] file = Gzip(Header(dims));
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(file.Length - 4), unchecked((uint)(HeaderLength(3) + promised)));
        file.Length.Should().BeLessThanOrEqualTo(40, "the attack needs only a few dozen bytes");
        string path = Write("forged.gz", file);

        (IdxFormatException error, long allocated) = Fail(path, 3);
        TestContext.Out.WriteLine($"{file.Length}-byte file promising {promised} bytes: {allocated} bytes allocated");
        error.Message.Should().StartWith($"{path}: the gzip data is corrupt (");
        allocated.Should().BeLessThan(LittleAllocation, "bytes are allocated as the data arrives, and none does");
    }

    [Test]
    public void AHeaderThatLiesAboutTheSizeFailsAsTruncatedHavingAllocatedLittle()
    {
        // The same promise with an honest trailer: the gzip layer finds nothing wrong, the data just ends.
        string path = Write("lying.gz", Gzip(Idx([Array.MaxLength], [1, 2, 3])));
        (IdxFormatException error, long allocated) = Fail(path, 1);
        error.Message.Should().Be($"{path}: truncated: the dimensions ({Array.MaxLength}) promise {Array.MaxLength} bytes, the data ends after 3.");
        allocated.Should().BeLessThan(LittleAllocation, "bytes are allocated as the data arrives, and only 3 do");
    }

    [TestCase(3, TestName = "{m}(inside the magic number)")]
    [TestCase(10, TestName = "{m}(inside a dimension)")]
    [TestCase(16, TestName = "{m}(at the start of the data)")]
    [TestCase(100, TestName = "{m}(inside the data)")]
    public void TwoMembersReadAsOneFile(int split)
    {
        // What `cat a.gz b.gz > c.gz` makes: its size trailer is the second member's size alone.
        byte[] content = Idx([2, 8, 9], [.. Enumerable.Range(0, 144).Select(i => (byte)(i * 3))]);
        string path = Write("two.gz", [.. Gzip(content.AsSpan(0, split)), .. Gzip(content.AsSpan(split))]);
        (int[] dims, byte[] data) = IdxReader.Read(path, 3);
        dims.Should().Equal(2, 8, 9);
        data.Should().Equal(content[HeaderLength(3)..]);
    }

    [Test]
    public void EmptyMembersAddNothing()
    {
        byte[] content = Idx([3], [7, 8, 9]);
        string path = Write("empty-members.gz", [.. Gzip([]), .. Gzip(content.AsSpan(0, 5)), .. Gzip([]), .. Gzip(content.AsSpan(5))]);
        IdxReader.Read(path, 1).Data.Should().Equal(7, 8, 9);
    }

    [Test]
    public void MembersThatHoldMoreThanTheDimensionsAreRejected()
    {
        string path = Write("more.gz", [.. Gzip(Idx([3], [7, 8, 9])), .. Gzip([10])]);
        Fail(path, 1).Error.Message.Should().EndWith("has extra bytes: the dimensions (3) describe 3 bytes of data, more follow.");
    }

    [Test]
    public void DataOfManyChunksReadsWhole()
    {
        byte[] payload = [.. Enumerable.Range(0, (3 * ChunkedRead.ChunkBytes) + 17).Select(i => (byte)((i * 7) ^ (i >> 9)))];
        string path = Write("big.gz", Gzip(Idx([payload.Length], payload)));
        IdxReader.Read(path, 1).Data.Should().Equal(payload);
    }

    [Test]
    public void DataOfManyChunksCutShortReportsWhereItEnds()
    {
        int held = (2 * ChunkedRead.ChunkBytes) + 5;
        string path = Write("short.gz", Gzip(Idx([held + 1000], new byte[held])));
        Fail(path, 1).Error.Message.Should().EndWith($"promise {held + 1000} bytes, the data ends after {held}.");
    }

    private static (IdxFormatException Error, long Allocated) Fail(string path, int rank)
    {
        IdxFormatException? error = null;
        long allocated = Allocations.Measure(() =>
        {
            try
            {
                IdxReader.Read(path, rank);
            }
            catch (IdxFormatException e)
            {
                error = e;
            }
        });
        error.Should().NotBeNull($"{path} is not a valid IDX file");
        error!.Path.Should().Be(path);
        return (error, allocated);
    }

    private string Write(string name, byte[] content)
    {
        string path = Path.Combine(Folder, name);
        File.WriteAllBytes(path, content);
        return path;
    }
}
