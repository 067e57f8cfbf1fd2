using System.IO.Compression;
using CnnTrain.Data;

namespace CnnTrain.Tests.Support;

/// <summary>
/// A small generated CIFAR-10-format dataset, made at test time: each record's class k brightens channel k mod 3 in a
/// band of rows that moves with k, over seeded noise, so a network can learn it and every byte is known.
/// </summary>
public static class CifarBytes
{
    /// <summary><paramref name="count"/> records; record i has label i mod <paramref name="classes"/>.</summary>
    public static byte[] Records(int count, int seed, int classes = 10)
    {
        var random = new Random(seed);
        var bytes = new byte[count * Cifar10Reader.RecordBytes];
        for (int i = 0; i < count; i++)
        {
            int label = i % classes;
            Span<byte> record = bytes.AsSpan(i * Cifar10Reader.RecordBytes, Cifar10Reader.RecordBytes);
            record[0] = (byte)label;
            Span<byte> pixels = record[1..];
            random.NextBytes(pixels);
            for (int p = 0; p < pixels.Length; p++)
            {
                pixels[p] = (byte)(pixels[p] / 4);
            }

            int channel = label % 3, top = label * 3;
            for (int y = top; y < top + 4 && y < 32; y++)
            {
                pixels.Slice((((channel * 32) + y) * 32), 32).Fill(250);
            }
        }

        return bytes;
    }

    /// <summary>Writes the distribution's layout into <paramref name="folder"/>: two training files and a test file.</summary>
    public static void WriteFolder(string folder, int trainPerFile = 60, int test = 40, bool gzip = false)
    {
        Write(Path.Combine(folder, "data_batch_1.bin"), Records(trainPerFile, 1), gzip);
        Write(Path.Combine(folder, "data_batch_2.bin"), Records(trainPerFile, 2), gzip);
        Write(Path.Combine(folder, "test_batch.bin"), Records(test, 3), gzip);
    }

    public static void Write(string path, byte[] records, bool gzip)
    {
        if (!gzip)
        {
            File.WriteAllBytes(path, records);
            return;
        }

        using FileStream file = File.Create(path + ".gz");
        using var compressed = new GZipStream(file, CompressionLevel.Fastest);
        compressed.Write(records);
    }
}
