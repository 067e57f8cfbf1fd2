using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;
using CnnTrain.Devices.Sequential;
using CnnTrain.Tests.Support;
using CnnTrain.Training;
using FluentAssertions;
using NUnit.Framework;

namespace CnnTrain.Tests.Persistence;

/// <summary>
/// Kills the sample trainer, which checkpoints after every epoch to one file, at random moments: the file it
/// leaves must load, and the next write must remove the temporary files that the kills left behind.
/// </summary>
[NonParallelizable]
public class KilledWriterTests : TempFolderTests
{
    private const int Kills = 10;
    private const int Seed = 12;
    private static readonly TimeSpan FirstWriteLimit = TimeSpan.FromSeconds(30);

    [Test]
    public void AKilledWriterLeavesALoadableFileAndTheNextWriteCleansUpAfterIt()
    {
        string checkpoint = Path.Combine(Folder, "run.ckpt");
        string unrelated = Path.Combine(Folder, ".run.ckpt.keep.tmp");
        File.WriteAllBytes(unrelated, [1]);
        var random = new Random(Seed);
        int killsThatLeftTemporaries = 0;
        var watch = Stopwatch.StartNew();
        using var device = new SequentialDevice();
        for (int kill = 0; kill < Kills; kill++)
        {
            DateTime before = File.Exists(checkpoint) ? File.GetLastWriteTimeUtc(checkpoint) : DateTime.MinValue;
            using (Process trainer = StartTrainer(checkpoint, out ConcurrentQueue<string> errors))
            using (var killed = new ManualResetEventSlim())
            using (var watcher = new FileSystemWatcher(Folder, ".run.ckpt.*.tmp") { NotifyFilter = NotifyFilters.FileName })
            {
                try
                {
                    WaitForAWrite(trainer, checkpoint, before, errors);
                    if (kill % 2 == 0)
                    {
                        // At a random moment: epochs here take a few milliseconds, the writes a fraction of that.
                        Thread.Sleep(random.Next(0, 50));
                    }
                    else
                    {
                        // As a write begins, which is the moment a random kill rarely finds: killed from the
                        // watcher's own thread, the kill can arrive before the write is through.
                        watcher.Created += (_, _) =>
                        {
                            // The trainer starts no processes: no walk of a process tree to delay the kill.
                            trainer.Kill();
                            killed.Set();
                        };
                        watcher.EnableRaisingEvents = true;
                        killed.Wait(FirstWriteLimit).Should().BeTrue("the trainer writes a checkpoint after every epoch");
                    }
                }
                finally
                {
                    trainer.Kill();
                    trainer.WaitForExit();
                }
            }

            if (Temporaries().Length > 0)
            {
                killsThatLeftTemporaries++;
            }

            using (Trainer resumed = Trainer.Resume(checkpoint, device))
            {
                resumed.EpochsCompleted.Should().BePositive($"the file the kill {kill} left is a checkpoint of a completed epoch");

                // One like those a kill leaves, so the cleaning is checked even when no kill lands mid-write.
                File.WriteAllBytes(Path.Combine(Folder, $".run.ckpt.{Guid.NewGuid():N}.tmp"), [1, 2, 3]);
                resumed.SaveCheckpoint(checkpoint);
            }

            Temporaries().Should().BeEmpty($"the write after kill {kill} removes the temporary files of run.ckpt");
            File.Exists(unrelated).Should().BeTrue("a file that only looks like a temporary one stays");
            Trainer.Resume(checkpoint, device).Dispose();
        }

        TestContext.Out.WriteLine($"{Kills} kills in {watch.Elapsed.TotalSeconds:F1} s; {killsThatLeftTemporaries} left temporary files");
    }

    private string[] Temporaries() =>
        [.. Directory.GetFiles(Folder, ".run.ckpt.*.tmp").Where(f => CnnTrain.Persistence.AtomicFile.IsTemporaryOf(Path.GetFileName(f), "run.ckpt"))];

    private static Process StartTrainer(string checkpoint, out ConcurrentQueue<string> errors)
    {
        var info = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        string[] arguments =
        [
            Path.Combine(AppContext.BaseDirectory, "CnnTrain.Mnist.dll"), "--device", "sequential", "--limit", "100", "--filters", "2",
            "--batch-size", "50", "--epochs", "1000000", "--checkpoint", checkpoint, "--quiet",
        ];
        foreach (string argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        Process process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {info.FileName}");
        var lines = new ConcurrentQueue<string>();
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is string line)
            {
                lines.Enqueue(line);
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        errors = lines;
        return process;
    }

    private static void WaitForAWrite(Process trainer, string checkpoint, DateTime before, ConcurrentQueue<string> errors)
    {
        var watch = Stopwatch.StartNew();
        while (!File.Exists(checkpoint) || File.GetLastWriteTimeUtc(checkpoint) == before)
        {
            trainer.HasExited.Should().BeFalse($"the trainer should run until killed; it wrote: {string.Join(Environment.NewLine, errors)}");
            watch.Elapsed.Should().BeLessThan(FirstWriteLimit, "the trainer should write its first checkpoint soon");
            Thread.Sleep(2);
        }
    }

    // The dotnet host of the runtime running these tests: the test host itself may be an apphost.
    private static string DotnetHost()
    {
        string root = Path.GetFullPath(Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", ".."));
        string host = Path.Combine(root, OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet");
        return File.Exists(host) ? host : "dotnet";
    }
}
