using CnnTrain.Layers;
using CnnTrain.Tests.Support;
using FluentAssertions;
using NUnit.Framework;

namespace CnnTrain.Tests.Onnx;

/// <summary>ExportOnnx writes its file as Save does: atomically, and never for a network with non-finite values.</summary>
public class OnnxExportFileTests : TempFolderTests
{
    private static readonly byte[] OldContent = [1, 2, 3, 4, 5];

    [Test]
    public void A_nonfinite_parameter_is_refused_by_name_and_the_existing_file_is_kept()
    {
        using Network network = Network.CreateStudy(filters: 4);
        network.Parameters[2].Values[7] = float.NaN;
        string path = Existing("model.onnx");

        var export = () => network.ExportOnnx(path);

        export.Should().Throw<InvalidOperationException>().WithMessage("*dense_0.weights value 7 of * is NaN*");
        File.ReadAllBytes(path).Should().Equal(OldContent);
        Directory.GetFiles(Folder).Should().Equal(path);
    }

    [Test]
    public void A_nonfinite_running_statistic_is_refused_by_name_and_nothing_reaches_the_stream()
    {
        using Network network = OnnxNetworks.TrainedWithBatchNormAndDropout();
        network.Layers.OfType<BatchNorm2D>().Single().RunningVariance[3] = float.PositiveInfinity;
        using var stream = new MemoryStream();

        var export = () => network.ExportOnnx(stream);

        export.Should().Throw<InvalidOperationException>().WithMessage("*batchnorm2d_0.running_var value 3 of 4 is Infinity*");
        stream.Length.Should().Be(0);
    }

    [Test]
    public void A_successful_export_replaces_the_file_and_leaves_no_temporary_file()
    {
        using Network network = Network.CreateStudy(filters: 4);
        string path = Existing("model.onnx");

        network.ExportOnnx(path);

        File.ReadAllBytes(path).Should().Equal(OnnxModelTests.Export(network));
        Directory.GetFiles(Folder).Should().Equal(path);
    }

    [Test]
    public void A_missing_folder_or_an_empty_path_is_refused_before_anything_is_written()
    {
        using Network network = Network.CreateStudy(filters: 4);
        var missing = () => network.ExportOnnx(Path.Combine(Folder, "absent", "model.onnx"));
        missing.Should().Throw<DirectoryNotFoundException>().WithMessage("*absent*");
        FluentActions.Invoking(() => network.ExportOnnx(string.Empty)).Should().Throw<ArgumentException>();
        FluentActions.Invoking(() => network.ExportOnnx((Stream)null!)).Should().Throw<ArgumentNullException>();
        Directory.EnumerateFileSystemEntries(Folder).Should().BeEmpty();
    }

    private string Existing(string name)
    {
        string path = Path.Combine(Folder, name);
        File.WriteAllBytes(path, OldContent);
        return path;
    }
}
