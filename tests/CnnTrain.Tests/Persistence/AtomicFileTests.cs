using CnnTrain.Persistence;
using CnnTrain.Tests.Support;
using FluentAssertions;
using NUnit.Framework;

namespace CnnTrain.Tests.Persistence;

/// <summary>The temporary files of atomic writes: which ones a write removes, and writers that race.</summary>
public class AtomicFileTests : TempFolderTests
{
    private const string Guid32 = "0123456789abcdef0123456789abcdef";

    [TestCase(".run.ckpt." + Guid32 + ".tmp", ExpectedResult = true)]
    [TestCase(".run.ckpt.fedcba98765432100123456789abcdef.tmp", ExpectedResult = true)]
    [TestCase(".run.ckpt.0123456789ABCDEF0123456789abcdef.tmp", ExpectedResult = false, TestName = "{m}(upper-case digits are not a Guid N)")]
    [TestCase(".run.ckpt.0123456789abcdef0123456789abcde.tmp", ExpectedResult = false, TestName = "{m}(31 digits)")]
    [TestCase(".run.ckpt.0123456789abcdef0123456789abcdeg.tmp", ExpectedResult = false, TestName = "{m}(not hexadecimal)")]
    [TestCase(".run.ckpt2." + Guid32 + ".tmp", ExpectedResult = false, TestName = "{m}(another target)")]
    [TestCase(".run." + Guid32 + ".tmp", ExpectedResult = false, TestName = "{m}(a shorter target)")]
    [TestCase("run.ckpt." + Guid32 + ".tmp", ExpectedResult = false, TestName = "{m}(no leading dot)")]
    [TestCase(".run.ckpt." + Guid32 + ".tmp.bak", ExpectedResult = false, TestName = "{m}(another suffix)")]
    [TestCase(".run.ckpt." + Guid32 + ".TMP", ExpectedResult = false, TestName = "{m}(another case of the suffix)")]
    [TestCase(".run.ckpt.tmp", ExpectedResult = false, TestName = "{m}(no Guid)")]
    public bool RecognisesOnlyItsOwnTemporaryNames(string fileName) => AtomicFile.IsTemporaryOf(fileName, "run.ckpt");

    [Test]
    public void AWriteRemovesTheStaleTemporaryFilesOfItsTargetAndNothingElse()
    {
        string target = Path.Combine(Folder, "run.ckpt");
        string[] stale = [Beside($".run.ckpt.{Guid.NewGuid():N}.tmp"), Beside($".run.ckpt.{Guid.NewGuid():N}.tmp")];
        string[] others =
        [
            Beside($".run.ckpt2.{Guid.NewGuid():N}.tmp"), Beside($".other.{Guid.NewGuid():N}.tmp"), Beside(".run.ckpt.keep.tmp"),
            Beside($".run.ckpt.{Guid.NewGuid():N}.tmp.bak"), Beside("run.ckpt.bak"), Beside($"x.run.ckpt.{Guid.NewGuid():N}.tmp"),
        ];
        foreach (string file in stale.Concat(others))
        {
            File.WriteAllBytes(file, [1]);
        }

        string folderLikeATemporary = Directory.CreateDirectory(Beside($".run.ckpt.{Guid.NewGuid():N}.tmp")).FullName;

        AtomicFile.Write(target, [4, 5, 6]);

        File.ReadAllBytes(target).Should().Equal(4, 5, 6);
        stale.Where(File.Exists).Should().BeEmpty();
        others.Where(f => !File.Exists(f)).Should().BeEmpty("only the target's own temporary files may go");
        Directory.Exists(folderLikeATemporary).Should().BeTrue("a folder is never a temporary file");
        Directory.GetFiles(Folder).Should().HaveCount(1 + others.Length);
    }

    [Test]
    public void WritersThatRaceForOneFileFailOnlyWithTheClearIOException()
    {
        // Each writer may remove the other's temporary file as stale; on Linux the removal succeeds while the
        // file is open, and that writer's rename is what fails.
        string target = Path.Combine(Folder, "raced.bin");
        var unexpected = new List<Exception>();
        int removed = 0;
        void Writer(byte value)
        {
            for (int i = 0; i < 150; i++)
            {
                try
                {
                    AtomicFile.Write(target, [value, value, value]);
                }
                catch (IOException e) when (e.Message.Contains("was removed before it could replace the target", StringComparison.Ordinal))
                {
                    Interlocked.Increment(ref removed);
                }
                catch (Exception e)
                {
                    lock (unexpected)
                    {
                        unexpected.Add(e);
                    }
                }
            }
        }

        Task[] writers = [Task.Run(() => Writer(1)), Task.Run(() => Writer(2))];
        Task.WaitAll(writers, TimeSpan.FromSeconds(60)).Should().BeTrue("the writers should finish");

        unexpected.Should().BeEmpty();
        byte[] last = File.ReadAllBytes(target);
        last.Should().HaveCount(3).And.OnlyContain(b => b == last[0], "one writer's bytes, whole");
        last[0].Should().BeOneOf(1, 2);
        AtomicFile.Write(target, [3]);
        Directory.GetFiles(Folder).Should().Equal(target);
        TestContext.Out.WriteLine($"{removed} of 300 writes lost their temporary file to the other writer");
    }

    private string Beside(string name) => Path.Combine(Folder, name);
}
