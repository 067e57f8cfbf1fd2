using CnnTrain.Data;
using CnnTrain.Tests.Support;
using FluentAssertions;
using NUnit.Framework;
using static CnnTrain.Tests.Support.IdxBytes;

namespace CnnTrain.Tests.Data;

public class IdxReaderTests : TempFolderTests
{
    [TestCase(false)]
    [TestCase(true)]
    public void ReadsImagesAndLabels(bool gzip)
    {
        byte[] pixels = [.. Enumerable.Range(0, 2 * 3 * 4).Select(i => (byte)(i * 10))];
        string images = Write("images", Idx(0x08, [2, 3, 4], pixels), gzip);
        string labels = Write("labels", Idx(0x08, [2], [7, 1]), gzip);
        Dataset data = Dataset.LoadIdx(images, labels);
        data.Count.Should().Be(2);
        data.SampleShape.Should().Be(TensorShape.Image(1, 3, 4));
        data.Labels.ToArray().Should().Equal(7, 1);
        data.Samples.Span[5].Should().Be(50 / 255f);
    }

    [Test]
    public void ReadsTheBundledSet()
    {
        Dataset train = Support.TestData.BundledTrain;
        train.Count.Should().Be(8004);
        train.SampleShape.Should().Be(TensorShape.Image(1, 28, 28));
        train.Labels.ToArray().Distinct().Should().HaveCount(10);
        Support.TestData.BundledTest.Count.Should().Be(1996);
    }

    [Test]
    public void RejectsBadMagic() =>
        Read(Write("x", [1, 0, 8, 1, 0, 0, 0, 1, 5]), 1).WithMessage("*bad magic number 01000801*");

    [Test]
    public void RejectsUnsupportedType() =>
        Read(Write("x", Idx(0x0D, [1], [0, 0, 0, 0])), 1).WithMessage("*data type 0x0D is not supported*");

    [Test]
    public void RejectsWrongRank() =>
        Read(Write("x", Idx(0x08, [1, 2], [0, 0])), 3).WithMessage("*has 2 dimensions; 3 were expected*");

    [Test]
    public void RejectsZeroDimension() =>
        Read(Write("x", Idx(0x08, [0], [])), 1).WithMessage("*dimension 0 is 0*");

    [TestCase(false)]
    [TestCase(true)]
    public void RejectsTruncatedData(bool gzip) =>
        Read(Write("x", Idx(0x08, [2, 2, 2], [1, 2, 3, 4, 5, 6, 7]), gzip), 3)
            .WithMessage("*: truncated: the dimensions (2, 2, 2) promise 8 bytes, the data ends after 7.");

    [Test]
    public void RejectsTruncatedHeader() =>
        Read(Write("x", [0, 0, 8, 3, 0, 0]), 3).WithMessage("*truncated*");

    [TestCase(false, "the file holds 3.")]
    [TestCase(true, "more follow.")]
    public void RejectsTrailingBytes(bool gzip, string end) =>
        Read(Write("x", Idx(0x08, [2], [1, 2, 3]), gzip), 1).WithMessage($"*: has extra bytes: the dimensions (2) describe 2 bytes of data, {end}");

    [Test]
    public void ChecksTheSizeBeforeAllocating()
    {
        // The header promises 2^30 bytes; the file holds 4. The reader must refuse without trying to allocate.
        Read(Write("x", Idx(0x08, [1 << 10, 1 << 10, 1 << 10], [1, 2, 3, 4])), 3).WithMessage("*promise 1073741824 bytes, the data ends after 4.");
        Read(Write("y", Idx(0x08, [1 << 16, 1 << 16, 2], [1])), 3).WithMessage("*dimensions (65536, 65536) promise more than 2147483591 bytes.");
    }

    [Test]
    public void RejectsCorruptGzip()
    {
        byte[] good = Gzip(Idx(0x08, [4], [1, 2, 3, 4]));
        good[12] ^= 0xFF;
        string path = Path.Combine(Folder, "bad.gz");
        File.WriteAllBytes(path, good);
        Read(path, 1).WithMessage("*: the gzip data is corrupt (*)").Where(e => e.InnerException is InvalidDataException);
    }

    [Test]
    public void RejectsLabelsOutOfRange()
    {
        string path = Write("labels", Idx(0x08, [3], [1, 12, 2]));
        FluentActions.Invoking(() => IdxReader.ReadLabels(path, 10))
            .Should().Throw<IdxFormatException>().WithMessage("*label 12 at index 1 is outside [0, 10)*");
    }

    [Test]
    public void RejectsCountMismatch()
    {
        string images = Write("images", Idx(0x08, [2, 1, 1], [1, 2]));
        string labels = Write("labels", Idx(0x08, [3], [1, 2, 3]));
        FluentActions.Invoking(() => Dataset.LoadIdx(images, labels))
            .Should().Throw<IdxFormatException>().WithMessage("*3 labels for the 2 images*");
    }

    [Test]
    public void ReportsMissingFilesAndFolders()
    {
        FluentActions.Invoking(() => IdxReader.Read(Path.Combine(Folder, "none"), 1)).Should().Throw<FileNotFoundException>();
        FluentActions.Invoking(() => Dataset.LoadMnist(Folder)).Should().Throw<FileNotFoundException>().WithMessage("*train-images-idx3-ubyte*");
        FluentActions.Invoking(() => Dataset.LoadMnist(Path.Combine(Folder, "missing"))).Should().Throw<DirectoryNotFoundException>();
    }

    private FluentAssertions.Specialized.ExceptionAssertions<IdxFormatException> Read(string path, int rank) =>
        FluentActions.Invoking(() => IdxReader.Read(path, rank)).Should().Throw<IdxFormatException>().Where(e => e.Path == path);

    private string Write(string name, byte[] content, bool gzip = false)
    {
        string path = Path.Combine(Folder, gzip ? name + ".gz" : name);
        File.WriteAllBytes(path, gzip ? Gzip(content) : content);
        return path;
    }
}
