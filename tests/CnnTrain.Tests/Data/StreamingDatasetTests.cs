using CnnTrain.Data;
using CnnTrain.Devices.Sequential;
using CnnTrain.Tests.Support;
using CnnTrain.Training;
using FluentAssertions;
using NUnit.Framework;
using static CnnTrain.Tests.Support.IdxBytes;

namespace CnnTrain.Tests.Data;

/// <summary><see cref="StreamingDataset"/>: slices read from disk equal the same samples loaded whole.</summary>
public class StreamingDatasetTests : TempFolderTests
{
    [Test]
    public void Cifar_slices_across_files_equal_the_files_loaded_whole()
    {
        CifarBytes.WriteFolder(Folder, trainPerFile: 7, test: 3);
        string[] files = [Path.Combine(Folder, "data_batch_1.bin"), Path.Combine(Folder, "data_batch_2.bin")];
        Dataset whole = Dataset.LoadCifar10Files(files);
        using StreamingDataset stream = StreamingDataset.OpenCifar10(files);

        stream.Count.Should().Be(14);
        stream.SampleShape.Should().Be(whole.SampleShape);
        Dataset middle = stream.Read(5, 4); // records 5 and 6 of the first file, 0 and 1 of the second
        middle.Samples.ToArray().Should().Equal(whole.Slice(5, 4).Samples.ToArray());
        middle.Labels.ToArray().Should().Equal(whole.Slice(5, 4).Labels.ToArray());
        Dataset[] slices = [.. stream.Slices(5)];
        slices.Select(s => s.Count).Should().Equal(5, 5, 4);
        slices.SelectMany(s => s.Samples.ToArray()).Should().Equal(whole.Samples.ToArray());
    }

    [Test]
    public void Idx_slices_equal_the_pair_loaded_whole_and_train_like_it()
    {
        byte[] pixels = new byte[12 * 6 * 6];
        new Random(3).NextBytes(pixels);
        byte[] labels = [.. Enumerable.Range(0, 12).Select(i => (byte)(i % 3))];
        string images = Path.Combine(Folder, "images"), labelFile = Path.Combine(Folder, "labels");
        File.WriteAllBytes(images, Idx([12, 6, 6], pixels));
        File.WriteAllBytes(labelFile, Idx([12], labels));
        Dataset whole = Dataset.LoadIdx(images, labelFile, classes: 3);
        using StreamingDataset stream = StreamingDataset.OpenIdx(images, labelFile, classes: 3);

        stream.Read(2, 9).Samples.ToArray().Should().Equal(whole.Slice(2, 9).Samples.ToArray());
        stream.Read(2, 9).Labels.ToArray().Should().Equal(whole.Slice(2, 9).Labels.ToArray());

        var network = new Network(TensorShape.Image(1, 6, 6), new CnnTrain.Layers.Conv2D(2, 3), new CnnTrain.Layers.ReLU(), new CnnTrain.Layers.Flatten(), new CnnTrain.Layers.Dense(3));
        network.Initialize(1);
        using var device = new SequentialDevice();
        using var trainer = new Trainer(network, device, new TrainerOptions { BatchSize = 4, Shuffle = false });
        foreach (Dataset slice in stream.Slices(6))
        {
            trainer.Fit(slice);
        }

        trainer.History.Select(m => m.Samples).Should().Equal(6, 6);
    }

    [Test]
    public void Compressed_truncated_and_mismatched_files_are_refused_when_opened()
    {
        CifarBytes.WriteFolder(Folder, trainPerFile: 2, test: 1, gzip: true);
        string gz = Path.Combine(Folder, "data_batch_1.bin.gz");
        FluentActions.Invoking(() => StreamingDataset.OpenCifar10([gz])).Should().Throw<DataFormatException>().WithMessage($"{gz}: is compressed*");

        string cut = Path.Combine(Folder, "cut.bin");
        File.WriteAllBytes(cut, CifarBytes.Records(2, 1)[..4000]);
        FluentActions.Invoking(() => StreamingDataset.OpenCifar10([cut])).Should().Throw<DataFormatException>().WithMessage("*not a whole number*");

        string images = Path.Combine(Folder, "images"), labels = Path.Combine(Folder, "labels");
        File.WriteAllBytes(images, Idx([3, 2, 2], new byte[11]));
        File.WriteAllBytes(labels, Idx([3], [0, 1, 2]));
        FluentActions.Invoking(() => StreamingDataset.OpenIdx(images, labels)).Should().Throw<IdxFormatException>().WithMessage($"{images}: truncated*");
        File.WriteAllBytes(images, Idx([4, 2, 2], new byte[16]));
        FluentActions.Invoking(() => StreamingDataset.OpenIdx(images, labels)).Should().Throw<IdxFormatException>().WithMessage("*3 labels for the 4 images*");
    }

    [Test]
    public void A_bad_label_is_refused_when_its_slice_is_read()
    {
        byte[] records = CifarBytes.Records(4, 1);
        records[2 * Cifar10Reader.RecordBytes] = 10;
        string path = Path.Combine(Folder, "labels.bin");
        File.WriteAllBytes(path, records);
        using StreamingDataset stream = StreamingDataset.OpenCifar10([path]);

        stream.Read(0, 2).Count.Should().Be(2);
        FluentActions.Invoking(() => stream.Read(1, 2)).Should().Throw<DataFormatException>().WithMessage($"{path}: record 2 has label 10*");
        FluentActions.Invoking(() => stream.Read(3, 2)).Should().Throw<ArgumentOutOfRangeException>();
    }
}
