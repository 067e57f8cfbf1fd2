using CnnTrain.Data;
using CnnTrain.Tests.Support;
using FluentAssertions;
using NUnit.Framework;

namespace CnnTrain.Tests.Data;

/// <summary>The CIFAR-10 binary format: what a record holds, and a typed error naming the file for each way a file can be wrong.</summary>
public class Cifar10ReaderTests : TempFolderTests
{
    [Test]
    public void Records_become_labels_and_planar_pixels_divided_by_255()
    {
        byte[] records = CifarBytes.Records(3, seed: 5);
        string path = Path.Combine(Folder, "a.bin");
        File.WriteAllBytes(path, records);

        Dataset data = Dataset.LoadCifar10Files([path]);

        data.SampleShape.Should().Be(TensorShape.Image(3, 32, 32));
        data.Labels.ToArray().Should().Equal(0, 1, 2);
        float[] samples = data.Samples.ToArray();
        // Record 1, channel 2 (blue), row 7, column 9: byte 1 + 2*1024 + 7*32 + 9 of the record.
        samples[3072 + (2 * 1024) + (7 * 32) + 9].Should().Be(records[3073 + 1 + (2 * 1024) + (7 * 32) + 9] / 255f);
        samples[0].Should().Be(records[1] / 255f);
        samples[^1].Should().Be(records[^1] / 255f);
    }

    [Test]
    public void Gzip_files_read_as_their_raw_bytes_and_the_folder_layout_joins_the_training_files()
    {
        CifarBytes.WriteFolder(Folder, trainPerFile: 20, test: 10, gzip: true);
        string raw = Path.Combine(Folder, "raw");
        Directory.CreateDirectory(raw);
        CifarBytes.WriteFolder(raw, trainPerFile: 20, test: 10);

        (Dataset train, Dataset test) = Dataset.LoadCifar10(Folder);
        (Dataset rawTrain, Dataset rawTest) = Dataset.LoadCifar10(raw);

        train.Count.Should().Be(40);
        test.Count.Should().Be(10);
        train.Samples.ToArray().Should().Equal(rawTrain.Samples.ToArray());
        test.Labels.ToArray().Should().Equal(rawTest.Labels.ToArray());
        train.Samples.Slice(20 * 3072, 3072).ToArray().Should().Equal(
            Dataset.LoadCifar10Files([Path.Combine(raw, "data_batch_2.bin")]).Samples.Slice(0, 3072).ToArray(), "batch 2 follows batch 1");
    }

    [TestCase(3073 * 2 + 100, "*holds 6246 bytes, not a whole number of 3073-byte records (2 records and 100 bytes over)*")]
    [TestCase(3072, "*holds 3072 bytes, not a whole number*")]
    [TestCase(0, "*is empty*")]
    public void Truncated_and_empty_files_are_refused_naming_the_file(int length, string message)
    {
        string path = Path.Combine(Folder, "cut.bin");
        File.WriteAllBytes(path, CifarBytes.Records(3, 1)[..length]);
        FluentActions.Invoking(() => Cifar10Reader.Read(path)).Should().Throw<DataFormatException>()
            .Where(e => e.Path == path).WithMessage($"{path}: {message}");
    }

    [Test]
    public void A_truncated_gzip_file_is_refused_too()
    {
        string path = Path.Combine(Folder, "cut.bin");
        CifarBytes.Write(path, CifarBytes.Records(2, 1)[..5000], gzip: true);
        FluentActions.Invoking(() => Cifar10Reader.Read(path + ".gz")).Should().Throw<DataFormatException>().WithMessage("*not a whole number*");
    }

    [Test]
    public void A_label_out_of_range_is_refused_with_its_record()
    {
        byte[] records = CifarBytes.Records(5, 1);
        records[3 * 3073] = 12;
        string path = Path.Combine(Folder, "label.bin");
        File.WriteAllBytes(path, records);
        FluentActions.Invoking(() => Cifar10Reader.Read(path)).Should().Throw<DataFormatException>()
            .WithMessage($"{path}: record 3 has label 12, outside [0, 10).");
        Cifar10Reader.Read(path, classes: 13).Labels[3].Should().Be(12, "with more classes the label is in range");
    }

    [Test]
    public void A_file_over_the_size_limit_is_refused_before_anything_is_allocated()
    {
        string path = Path.Combine(Folder, "huge.bin");
        using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write))
        {
            file.SetLength(((Array.MaxLength / 3073) + 1) * 3073L); // sparse: no disk is used
        }

        long allocated = Allocations.Measure(() =>
            FluentActions.Invoking(() => Cifar10Reader.Read(path)).Should().Throw<DataFormatException>().WithMessage("*holds 2147486152 bytes, more than the 2147483591 one read can hold*"));
        allocated.Should().BeLessThan(1 << 20);
    }

    [Test]
    public void Missing_files_and_folders_are_named()
    {
        FluentActions.Invoking(() => Cifar10Reader.Read(Path.Combine(Folder, "none.bin"))).Should().Throw<FileNotFoundException>();
        FluentActions.Invoking(() => Dataset.LoadCifar10(Folder)).Should().Throw<FileNotFoundException>().WithMessage($"{Folder} has none of data_batch_1.bin*");
        File.WriteAllBytes(Path.Combine(Folder, "data_batch_3.bin"), CifarBytes.Records(2, 1));
        FluentActions.Invoking(() => Dataset.LoadCifar10(Folder)).Should().Throw<FileNotFoundException>().WithMessage("*has no test_batch.bin*");
    }
}
