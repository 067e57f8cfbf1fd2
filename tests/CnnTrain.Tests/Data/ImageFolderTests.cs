using CnnTrain.Data;
using CnnTrain.Tests.Support;
using FluentAssertions;
using NUnit.Framework;
using StbImageWriteSharp;

namespace CnnTrain.Tests.Data;

/// <summary><see cref="Dataset.LoadImageFolder"/>: PNG, JPEG and BMP classes, gray or RGB, resampling, and bad folders.</summary>
public class ImageFolderTests : TempFolderTests
{
    [Test]
    public void Png_and_bmp_images_load_exactly_as_planar_values_with_classes_in_name_order()
    {
        byte[] red = Rgb(4, 3, seed: 1), blue = Rgb(4, 3, seed: 2), other = Rgb(4, 3, seed: 3);
        Write("b_dogs", "1.png", 4, 3, red, "png");
        Write("a_cats", "z.bmp", 4, 3, blue, "bmp");
        Write("a_cats", "a.png", 4, 3, other, "png");
        File.WriteAllText(Path.Combine(Folder, "a_cats", "notes.txt"), "not an image, skipped");

        (Dataset data, IReadOnlyList<string> names) = Dataset.LoadImageFolder(Folder);

        names.Should().Equal("a_cats", "b_dogs");
        data.SampleShape.Should().Be(TensorShape.Image(3, 3, 4));
        data.Labels.ToArray().Should().Equal(0, 0, 1);
        Sample(data, 0).Should().Equal(Planar(other, 4, 3, 3), "a.png comes before z.bmp");
        Sample(data, 1).Should().Equal(Planar(blue, 4, 3, 3));
        Sample(data, 2).Should().Equal(Planar(red, 4, 3, 3));
    }

    [Test]
    public void Jpeg_images_load_close_to_their_pixels_and_gray_loads_one_channel()
    {
        byte[] flat = [.. Enumerable.Repeat((byte)200, 8 * 8 * 3)];
        Write("x", "a.jpg", 8, 8, flat, "jpg");
        Write("y", "b.jpeg", 8, 8, flat, "jpg");

        (Dataset rgb, _) = Dataset.LoadImageFolder(Folder);
        (Dataset gray, _) = Dataset.LoadImageFolder(Folder, new ImageFolderOptions { Channels = 1 });

        rgb.Samples.ToArray().Should().OnlyContain(v => Math.Abs(v - (200 / 255f)) < 0.02f);
        gray.SampleShape.Should().Be(TensorShape.Image(1, 8, 8));
        gray.Samples.ToArray().Should().OnlyContain(v => Math.Abs(v - (200 / 255f)) < 0.02f);
    }

    [Test]
    public void Another_size_is_refused_by_default_naming_the_file_and_both_sizes()
    {
        Write("a", "1.png", 4, 4, Rgb(4, 4, 1), "png");
        Write("b", "2.png", 3, 2, Rgb(3, 2, 2), "png");
        string file = Path.Combine(Folder, "b", "2.png");
        FluentActions.Invoking(() => Dataset.LoadImageFolder(Folder)).Should().Throw<DataFormatException>()
            .Where(e => e.Path == file).WithMessage($"{file}: is 3x2 pixels; the samples are 4x4.*Resize*");
    }

    [Test]
    public void Nearest_resampling_repeats_pixels_and_bilinear_interpolates_between_centres()
    {
        // One gray row [0, 255] widened to 4 and kept 1 high; a second class so the folder is valid.
        Write("a", "row.png", 2, 1, [0, 0, 0, 255, 255, 255], "png");
        Write("b", "row.png", 2, 1, [0, 0, 0, 255, 255, 255], "png");
        var options = new ImageFolderOptions { Channels = 1, Width = 4, Height = 1 };

        (Dataset nearest, _) = Dataset.LoadImageFolder(Folder, options with { Resize = ImageResize.Nearest });
        (Dataset bilinear, _) = Dataset.LoadImageFolder(Folder, options with { Resize = ImageResize.Bilinear });

        Sample(nearest, 0).Should().Equal(0f, 0f, 1f, 1f);
        Sample(bilinear, 0).Should().Equal(0f, 0.25f, 0.75f, 1f);
    }

    [Test]
    public void Bad_folders_are_refused_naming_the_folder_or_file()
    {
        FluentActions.Invoking(() => Dataset.LoadImageFolder(Path.Combine(Folder, "none"))).Should().Throw<DirectoryNotFoundException>();
        Write("only", "1.png", 2, 2, Rgb(2, 2, 1), "png");
        FluentActions.Invoking(() => Dataset.LoadImageFolder(Folder)).Should().Throw<DataFormatException>()
            .WithMessage($"{Folder}: has 1 class subfolders*at least 2*");

        Directory.CreateDirectory(Path.Combine(Folder, "empty"));
        File.WriteAllText(Path.Combine(Folder, "empty", "readme.md"), "no images");
        FluentActions.Invoking(() => Dataset.LoadImageFolder(Folder)).Should().Throw<DataFormatException>()
            .WithMessage($"{Path.Combine(Folder, "empty")}: holds no PNG, JPEG or BMP images*");

        string broken = Path.Combine(Folder, "empty", "broken.png");
        File.WriteAllBytes(broken, [0x89, (byte)'P', (byte)'N', (byte)'G', 1, 2, 3, 4, 5, 6, 7, 8]);
        FluentActions.Invoking(() => Dataset.LoadImageFolder(Folder, new ImageFolderOptions { Width = 2, Height = 2 })).Should().Throw<DataFormatException>()
            .Where(e => e.Path == broken);
    }

    [Test]
    public void Options_are_checked_by_name()
    {
        FluentActions.Invoking(() => new ImageFolderOptions { Channels = 2 }.Validate()).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("Channels");
        FluentActions.Invoking(() => new ImageFolderOptions { Width = 3 }.Validate()).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("Width");
        FluentActions.Invoking(() => new ImageFolderOptions { Width = 0, Height = 3 }.Validate()).Should().Throw<ArgumentOutOfRangeException>();
        FluentActions.Invoking(() => new ImageFolderOptions { Resize = (ImageResize)9 }.Validate()).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("Resize");
    }

    private static byte[] Rgb(int width, int height, int seed)
    {
        var bytes = new byte[width * height * 3];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    private static float[] Planar(byte[] interleaved, int width, int height, int channels)
    {
        var result = new float[interleaved.Length];
        for (int i = 0; i < width * height; i++)
        {
            for (int c = 0; c < channels; c++)
            {
                result[(c * width * height) + i] = interleaved[(i * channels) + c] / 255f;
            }
        }

        return result;
    }

    private static float[] Sample(Dataset data, int n) => data.Samples.Slice(n * data.SampleShape.Size, data.SampleShape.Size).ToArray();

    private void Write(string className, string name, int width, int height, byte[] rgb, string format) =>
        TestImages.Write(Path.Combine(Folder, className, name), width, height, rgb, ColorComponents.RedGreenBlue, format);
}
