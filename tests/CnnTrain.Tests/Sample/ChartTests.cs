using System.Text;
using CnnTrain.Mnist.Charts;
using CnnTrain.Tests.Support;
using CnnTrain.Training;
using FluentAssertions;
using NUnit.Framework;

namespace CnnTrain.Tests.Sample;

public class ChartTests
{
    [Test]
    public void Crc32_matches_the_standard_check_values()
    {
        Crc32.Compute(Encoding.ASCII.GetBytes("123456789")).Should().Be(0xCBF43926u);
        Crc32.Compute(Encoding.ASCII.GetBytes("IEND")).Should().Be(0xAE426082u, "every PNG ends with this CRC");
        Crc32.Append(Crc32.Compute("1234"u8), "56789"u8).Should().Be(0xCBF43926u);
    }

    [Test]
    public void A_canvas_encodes_to_a_png_that_reads_back_pixel_for_pixel()
    {
        var canvas = new Canvas(7, 5, Rgb.White);
        canvas.Line(0, 0, 6, 4, Rgb.Train);
        canvas.Set(6, 0, new Rgb(1, 2, 3));
        canvas.Set(100, 100, Rgb.Black);

        byte[] png = PngEncoder.Encode(canvas);
        (int width, int height, byte[] rgb, IReadOnlyList<string> chunks) = PngReader.Read(png);

        png.AsSpan(0, 8).ToArray().Should().Equal(0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A);
        png.AsSpan(12, 4).ToArray().Should().Equal("IHDR"u8.ToArray());
        png[^4..].Should().Equal(0xAE, 0x42, 0x60, 0x82);
        (width, height).Should().Be((7, 5));
        chunks.Should().Equal("IHDR", "IDAT", "IEND");
        rgb.Should().Equal(canvas.Pixels);
        canvas[0, 0].Should().Be(Rgb.Train);
        canvas[6, 4].Should().Be(Rgb.Train);
        canvas[3, 2].Should().Be(Rgb.Train, "Bresenham passes through the middle of a 6x4 line");
        canvas[6, 0].Should().Be(new Rgb(1, 2, 3));
        canvas[0, 4].Should().Be(Rgb.White);
    }

    [Test]
    public void The_training_chart_draws_both_series_of_both_panels()
    {
        EpochMetrics[] history =
        [
            Epoch(1, 1.2, 0.6, 0.5, 0.85),
            Epoch(2, 0.4, 0.88, 0.4, 0.88),
            Epoch(3, 0.3, 0.91, double.NaN, 0.89),
        ];

        Canvas canvas = TrainingChart.Render(history);
        (int width, int height, byte[] rgb, _) = PngReader.Read(PngEncoder.Encode(canvas));

        (width, height).Should().Be((TrainingChart.Width, TrainingChart.Height));
        rgb.Should().Equal(canvas.Pixels);
        canvas[0, 0].Should().Be(Rgb.White);
        foreach ((int left, int right) in new[] { (0, width / 2), (width / 2, width) })
        {
            Count(canvas, left, right, Rgb.Train).Should().BeGreaterThan(100);
            Count(canvas, left, right, Rgb.Test).Should().BeGreaterThan(100);
            Count(canvas, left, right, Rgb.Black).Should().BeGreaterThan(500, "axes, ticks and labels");
        }
    }

    [Test]
    public void Axes_pick_round_steps_that_cover_the_data()
    {
        Axis loss = Axis.Covering(0, 2.37);
        (loss.Minimum, loss.Maximum, loss.Step).Should().Be((0, 2.5, 0.5));
        loss.Ticks.Select(loss.Label).Should().Equal("0.0", "0.5", "1.0", "1.5", "2.0", "2.5");

        Axis accuracy = Axis.Covering(65.6, 94.6);
        (accuracy.Minimum, accuracy.Maximum, accuracy.Step).Should().Be((65, 95, 5));
        accuracy.Label(70).Should().Be("70");

        Axis flat = Axis.Covering(10, 10);
        flat.Minimum.Should().BeLessThan(10);
        flat.Maximum.Should().BeGreaterThan(10);
        Axis.Covering(1, 3, targetTicks: 2, minimumStep: 1).Ticks.Should().Equal(1, 2, 3);
        PixelFont.Has('Q').Should().BeTrue();
        "0123456789.%-()abcdefghijklmnopqrstuvwxyz".Should().Match(s => s.All(PixelFont.Has));
    }

    private static int Count(Canvas canvas, int left, int right, Rgb color)
    {
        int count = 0;
        for (int y = 0; y < canvas.Height; y++)
        {
            for (int x = left; x < right; x++)
            {
                count += canvas[x, y] == color ? 1 : 0;
            }
        }

        return count;
    }

    private static EpochMetrics Epoch(int epoch, double loss, double accuracy, double testLoss, double testAccuracy) =>
        new(epoch, loss, accuracy, [1f], TimeSpan.FromSeconds(1), new EvaluationResult(testLoss, testAccuracy, [0], TimeSpan.Zero));
}
