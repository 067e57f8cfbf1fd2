using System.Buffers.Binary;
using CnnTrain.Devices.Sequential;
using CnnTrain.Layers;
using CnnTrain.Persistence;
using CnnTrain.Tests.Support;
using FluentAssertions;
using NUnit.Framework;

namespace CnnTrain.Tests.Persistence;

public class ModelFileTests : TempFolderTests
{
    private static Network EveryLayerKind()
    {
        var network = new Network(
            TensorShape.Image(2, 12, 12),
            new Conv2D(3, 3, stride: 2, padding: 1), new ReLU(), new Conv2D(4, 2), new MaxPool2D(2, 1),
            new Flatten(), new Dense(5), new ReLU(), new Dense(3));
        network.Initialize(8, Initialization.He);
        return network;
    }

    [Test]
    public void RoundTripKeepsEveryLayerAndEveryBit()
    {
        Network original = EveryLayerKind();
        string path = Path.Combine(Folder, "model.cnnt");
        original.Save(path);
        Network loaded = Network.Load(path);
        loaded.Layers.Select(l => l.ToString()).Should().Equal(original.Layers.Select(l => l.ToString()));
        loaded.InputShape.Should().Be(original.InputShape);
        loaded.GetParameterDigest().Should().Be(original.GetParameterDigest());
    }

    [Test]
    public void ALoadedModelPredictsTheSameLabels()
    {
        Network original = EveryLayerKind();
        using var stream = new MemoryStream();
        original.Save(stream);
        stream.Position = 0;
        Network loaded = Network.Load(stream);
        float[] samples = TestData.Uniform(3, 20 * 288);
        using var device = new SequentialDevice();
        loaded.Predict(device, samples).Should().Equal(original.Predict(device, samples));
    }

    [Test]
    public void RejectsAFileThatIsNotAModel()
    {
        string path = Write("x", [1, 2, 3, 4, 5, 6, 7, 8]);
        Load(path).WithMessage("*not a CnnTrain file*");
    }

    [Test]
    public void RejectsANewerVersion()
    {
        byte[] file = Saved();
        BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(4), 9);
        Load(Write("v9", file)).WithMessage("*format version 9 is newer than the model version 1 this library reads*");
    }

    [Test]
    public void RejectsACheckpointOfTheFirstFormat()
    {
        using var device = new CnnTrain.Devices.Sequential.SequentialDevice();
        using var trainer = new CnnTrain.Training.Trainer(Network.CreateStudy(2, seed: 1), device);
        using var stream = new MemoryStream();
        trainer.SaveCheckpoint(stream);
        byte[] file = stream.ToArray();
        BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(4), 1);
        string path = Write("v1.ckpt", file);
        FluentActions.Invoking(() => CnnTrain.Training.Trainer.Resume(path, device)).Should().Throw<ModelFormatException>()
            .WithMessage("*format version 1 is an older checkpoint format; this library reads versions 2 to 3*");
    }

    [Test]
    public void RejectsACheckpointAsAModelAndTheOtherWayRound()
    {
        byte[] model = Saved();
        model[6] = 2;
        Load(Write("kind", model)).WithMessage("*holds a checkpoint, not a model*");
        FluentActions.Invoking(() => CnnTrain.Training.Trainer.Resume(Write("model", Saved()), new SequentialDevice()))
            .Should().Throw<ModelFormatException>().WithMessage("*holds a model, not a checkpoint*");
    }

    [TestCase(5)]
    [TestCase(15)]
    [TestCase(100)]
    [TestCase(-1)]
    public void RejectsATruncatedFile(int keep)
    {
        byte[] file = Saved();
        int length = keep < 0 ? file.Length - 1 : keep;
        Load(Write("cut", file[..length])).WithMessage("*truncated*");
    }

    [Test]
    public void RejectsTrailingBytes()
    {
        byte[] file = [.. Saved(), 0];
        Load(Write("long", file)).WithMessage("*1 unexpected bytes after the end*");
    }

    [Test]
    public void RejectsAFlippedBit()
    {
        byte[] file = Saved();
        file[file.Length / 2] ^= 0x10;
        Load(Write("flip", file)).WithMessage("*checksum mismatch*");
    }

    [Test]
    public void RejectsAbsurdCountsWithoutAllocating()
    {
        // A well-framed file whose payload claims 2^31 - 1 layers: the count is checked against the bytes left.
        var writer = new PayloadWriter();
        writer.Byte(3);
        writer.Int32(1);
        writer.Int32(28);
        writer.Int32(28);
        writer.Int32(int.MaxValue);
        Load(Write("count", Envelope.Seal(FileKind.Model, writer.ToArray()))).WithMessage("*layer count 2147483647 does not fit*");
    }

    [Test]
    public void RejectsADescribedNetworkThatCannotBeBuilt()
    {
        var writer = new PayloadWriter();
        writer.Byte(3);
        writer.Int32(1);
        writer.Int32(4);
        writer.Int32(4);
        writer.Int32(1);
        writer.Byte(1); // Conv2D with a kernel larger than the input
        writer.Int32(2);
        writer.Int32(7);
        writer.Int32(1);
        writer.Int32(0);
        Load(Write("bad", Envelope.Seal(FileKind.Model, writer.ToArray()))).WithMessage("*not valid*kernel size 7*");
    }

    [Test]
    public void SavingOverAFileIsAtomic()
    {
        string path = Path.Combine(Folder, "model.cnnt");
        Network first = EveryLayerKind();
        first.Save(path);
        byte[] before = File.ReadAllBytes(path);

        // A failed save (the folder vanished under it) leaves nothing half-written behind.
        FluentActions.Invoking(() => first.Save(Path.Combine(Folder, "missing", "model.cnnt"))).Should().Throw<DirectoryNotFoundException>();
        File.ReadAllBytes(path).Should().Equal(before);
        Directory.GetFiles(Folder).Should().ContainSingle();

        Network second = EveryLayerKind();
        second.Parameters[0].Values[0] += 1f;
        second.Save(path);
        Network.Load(path).GetParameterDigest().Should().Be(second.GetParameterDigest());
        Directory.GetFiles(Folder).Should().ContainSingle("the temporary file is renamed, not left beside the target");
    }

    [Test]
    public void AMissingFileIsFileNotFound() =>
        FluentActions.Invoking(() => Network.Load(Path.Combine(Folder, "none.cnnt"))).Should().Throw<FileNotFoundException>();

    private byte[] Saved()
    {
        using var stream = new MemoryStream();
        EveryLayerKind().Save(stream);
        return stream.ToArray();
    }

    private string Write(string name, byte[] bytes)
    {
        string path = Path.Combine(Folder, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private static FluentAssertions.Specialized.ExceptionAssertions<ModelFormatException> Load(string path) =>
        FluentActions.Invoking(() => Network.Load(path)).Should().Throw<ModelFormatException>().Where(e => e.Path == path);
}
