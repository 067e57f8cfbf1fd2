using System.Diagnostics;
using CnnTrain.Data;
using CnnTrain.Tests.Support;
using FluentAssertions;
using NUnit.Framework;
using static CnnTrain.Tests.Support.IdxBytes;

namespace CnnTrain.Tests.Data;

/// <summary>The documented largest payload, <see cref="IdxReader.MaxPayloadBytes"/>, and one byte more.</summary>
public class IdxLimitTests : TempFolderTests
{
    [Test]
    public void TheMaximumIsTheLongestByteArray() => IdxReader.MaxPayloadBytes.Should().Be(Array.MaxLength);

    [TestCase(false)]
    [TestCase(true)]
    public void OneByteOverTheMaximumIsRefused(bool gzip)
    {
        string path = Path.Combine(Folder, gzip ? "over.gz" : "over");
        byte[] header = Header([Array.MaxLength + 1]);
        File.WriteAllBytes(path, gzip ? Gzip(header) : header);
        FluentActions.Invoking(() => IdxReader.Read(path, 1)).Should().Throw<IdxFormatException>()
            .WithMessage($"{path}: dimensions ({Array.MaxLength + 1}) promise more than {Array.MaxLength} bytes.");
    }

    // A sparse file costs no disk, but the 2 GiB array it fills is real memory: about 4 s here, nearly all of
    // it the kernel mapping the array's pages in. On Linux the file goes to tmpfs (/dev/shm), where reading
    // a hole costs nothing; on a disk file system the kernel first fills 2 GiB of page cache with zeros,
    // which doubles the time.
    [Test]
    [Category("Large")]
    public void ARawFileOfTheMaximumPayloadReads()
    {
        string folder = Directory.Exists("/dev/shm") ? "/dev/shm" : Folder;
        string path = Path.Combine(folder, $"cnntrain-idxmax-{Guid.NewGuid():N}");
        int payload = (int)IdxReader.MaxPayloadBytes;
        try
        {
            using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write))
            {
                file.Write(Header([payload]));
                file.SetLength(HeaderLength(1) + (long)payload);
                file.Seek(-1, SeekOrigin.End);
                file.WriteByte(0x5A);
            }

            var watch = Stopwatch.StartNew();
            (int[] dims, byte[] data) = IdxReader.Read(path, 1);
            watch.Stop();
            dims.Should().Equal(payload);
            data.Length.Should().Be(payload);
            data[^1].Should().Be(0x5A, "the last byte of the file is the last byte of the data");
            data[0].Should().Be(0);
            TestContext.Out.WriteLine($"read {payload} bytes from {folder} in {watch.Elapsed.TotalSeconds:F2} s");
        }
        finally
        {
            File.Delete(path);

            // The 2 GiB go back now rather than whenever a later test happens to collect.
            GC.Collect();
        }
    }
}
