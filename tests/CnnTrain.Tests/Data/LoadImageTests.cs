using CnnTrain.Data;
using CnnTrain.Tests.Support;
using FluentAssertions;
using NUnit.Framework;
using StbImageWriteSharp;

namespace CnnTrain.Tests.Data;

/// <summary><see cref="Dataset.LoadImage"/>: one file to one sample, the way <see cref="Dataset.LoadImageFolder"/> reads each of its files.</summary>
public class LoadImageTests : TempFolderTests
{
    [Test]
    public void A_gray_png_loads_exactly_at_its_own_size()
    {
        byte[] pixels = [.. Enumerable.Range(0, 5 * 3).Select(i => (byte)((i * 37) ^ (i >> 1)))];
        string file = Image("gray.png", 5, 3, pixels, ColorComponents.Grey, "png");

        (float[] values, TensorShape shape) = Dataset.LoadImage(file, new ImageFolderOptions { Channels = 1 });

        shape.Should().Be(TensorShape.Image(1, 3, 5));
        values.Should().Equal(pixels.Select(p => p / 255f));
    }

    [Test]
    public void Colour_and_alpha_convert_one_fixed_way()
    {
        // Red, green, half-transparent blue, transparent gray.
        byte[] rgba = [255, 0, 0, 255, 0, 255, 0, 255, 0, 0, 255, 128, 200, 200, 200, 0];
        string file = Image("rgba.png", 2, 2, rgba, ColorComponents.RedGreenBlueAlpha, "png");

        // (299 R + 587 G + 114 B + 500) / 1000, then times alpha / 255 rounded: alpha composites over black.
        Dataset.LoadImage(file, new ImageFolderOptions { Channels = 1 }).Values.Should().Equal(new[] { 76, 150, 15, 0 }.Select(v => v / 255f));
        Dataset.LoadImage(file).Values.Should().Equal(
            new[] { 255, 0, 0, 0, 0, 255, 0, 0, 0, 0, 128, 0 }.Select(v => v / 255f), "RGB is planar: the red, green, then blue plane");
        string grayAlpha = Image("ga.png", 2, 1, [200, 255, 200, 51], ColorComponents.GreyAlpha, "png");
        Dataset.LoadImage(grayAlpha, new ImageFolderOptions { Channels = 1 }).Values.Should().Equal(200 / 255f, 40 / 255f);
    }

    [Test]
    public void A_jpeg_loads_close_to_its_pixels()
    {
        byte[] rgb = [.. Enumerable.Repeat(new byte[] { 40, 120, 220 }, 8 * 8).SelectMany(p => p)];
        string file = Image("flat.jpg", 8, 8, rgb, ColorComponents.RedGreenBlue, "jpg");

        (float[] values, TensorShape shape) = Dataset.LoadImage(file);
        (float[] gray, TensorShape grayShape) = Dataset.LoadImage(file, new ImageFolderOptions { Channels = 1 });

        shape.Should().Be(TensorShape.Image(3, 8, 8));
        values.Take(64).Should().OnlyContain(v => Math.Abs(v - (40 / 255f)) < 0.02f);
        values.Skip(128).Should().OnlyContain(v => Math.Abs(v - (220 / 255f)) < 0.02f);
        grayShape.Should().Be(TensorShape.Image(1, 8, 8));
        float luma = ((299 * 40) + (587 * 120) + (114 * 220) + 500) / 1000 / 255f;
        gray.Should().OnlyContain(v => Math.Abs(v - luma) < 0.02f);
    }

    [Test]
    public void The_folder_loader_reads_each_file_as_LoadImage_does()
    {
        var random = new Random(4);
        var files = new List<string>();
        foreach ((string name, ColorComponents components, int channels) in new[]
        {
            ("a/1.png", ColorComponents.RedGreenBlueAlpha, 4), ("a/2.jpg", ColorComponents.RedGreenBlue, 3), ("b/3.bmp", ColorComponents.RedGreenBlue, 3),
        })
        {
            var pixels = new byte[6 * 4 * channels];
            random.NextBytes(pixels);
            files.Add(Image(name, 6, 4, pixels, components, Path.GetExtension(name)[1..]));
        }

        foreach (ImageFolderOptions options in new[]
        {
            new ImageFolderOptions(), new ImageFolderOptions { Channels = 1 },
            new ImageFolderOptions { Channels = 1, Width = 5, Height = 7, Resize = ImageResize.Bilinear },
        })
        {
            (Dataset folder, _) = Dataset.LoadImageFolder(Folder, options);
            for (int i = 0; i < files.Count; i++)
            {
                (float[] values, TensorShape shape) = Dataset.LoadImage(files[i], options);
                shape.Should().Be(folder.SampleShape);
                values.Should().Equal(folder.Samples.Slice(i * shape.Size, shape.Size).ToArray(), $"{files[i]} with {options}");
            }
        }
    }

    [Test]
    public void Bad_files_are_refused_naming_the_file()
    {
        string good = Image("good.png", 4, 4, new byte[16], ColorComponents.Grey, "png");

        string truncated = Path.Combine(Folder, "truncated.png");
        byte[] bytes = File.ReadAllBytes(good);
        File.WriteAllBytes(truncated, bytes[..^20]);
        FluentActions.Invoking(() => Dataset.LoadImage(truncated)).Should().Throw<DataFormatException>()
            .Where(e => e.Path == truncated).WithMessage($"{truncated}: cannot be decoded*");

        string text = Path.Combine(Folder, "notes.png");
        File.WriteAllText(text, "not an image at all");
        FluentActions.Invoking(() => Dataset.LoadImage(text)).Should().Throw<DataFormatException>()
            .Where(e => e.Path == text).WithMessage($"{text}: is not a PNG, JPEG or BMP image*");

        FluentActions.Invoking(() => Dataset.LoadImage(good, new ImageFolderOptions { Width = 3, Height = 3 })).Should().Throw<DataFormatException>()
            .WithMessage($"{good}: is 4x4 pixels; the samples are 3x3.*");
        FluentActions.Invoking(() => Dataset.LoadImage(Path.Combine(Folder, "none.png"))).Should().Throw<FileNotFoundException>();
        FluentActions.Invoking(() => Dataset.LoadImage(good, new ImageFolderOptions { Channels = 2 })).Should().Throw<ArgumentOutOfRangeException>();
    }

    private string Image(string name, int width, int height, byte[] pixels, ColorComponents components, string format)
    {
        string path = Path.Combine(Folder, name);
        TestImages.Write(path, width, height, pixels, components, format);
        return path;
    }
}
