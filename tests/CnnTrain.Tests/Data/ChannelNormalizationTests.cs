using CnnTrain.Data;
using CnnTrain.Tests.Support;
using FluentAssertions;
using NUnit.Framework;

namespace CnnTrain.Tests.Data;

public class ChannelNormalizationTests
{
    private static readonly TensorShape Shape = TensorShape.Image(2, 2, 2);

    [Test]
    public void Computed_statistics_are_each_channels_mean_and_population_deviation()
    {
        // Channel 0 holds 1..8 over two samples, channel 1 holds ten times that.
        float[] samples = [1, 2, 3, 4, 10, 20, 30, 40, 5, 6, 7, 8, 50, 60, 70, 80];
        var data = new Dataset(Shape, samples, [0, 1], 2);

        ChannelNormalization n = ChannelNormalization.Compute(data);

        n.Mean.Should().Equal(4.5f, 45f);
        n.Std[0].Should().Be((float)Math.Sqrt(5.25));
        n.Std[1].Should().Be((float)Math.Sqrt(525));
        Dataset normalised = n.Apply(data);
        normalised.Samples.Span[0].Should().Be((1f - 4.5f) / (float)Math.Sqrt(5.25));
        normalised.Samples.Span[12].Should().Be((50f - 45f) / (float)Math.Sqrt(525));
        ChannelNormalization.Compute(normalised).Mean.Should().AllSatisfy(m => m.Should().BeApproximately(0f, 1e-6f));
        normalised.Labels.ToArray().Should().Equal(0, 1);
    }

    [Test]
    public void The_same_data_gives_the_same_bits_and_a_given_normalisation_applies_to_any_set()
    {
        Dataset train = TestData.BundledTrain.Slice(0, 300);
        ChannelNormalization.Compute(train).Should().Be(ChannelNormalization.Compute(train.Slice(0, 300)));
        var given = new ChannelNormalization([0.1307f], [0.3081f]);
        given.Apply(TestData.BundledTest.Slice(0, 5)).Samples.Span[200].Should().Be((TestData.BundledTest.Samples.Span[200] - 0.1307f) / 0.3081f);
    }

    [Test]
    public void Bad_statistics_and_constant_channels_are_refused()
    {
        FluentActions.Invoking(() => new ChannelNormalization([0f], [0f])).Should().Throw<ArgumentException>().WithParameterName("std");
        FluentActions.Invoking(() => new ChannelNormalization([float.NaN], [1f])).Should().Throw<ArgumentException>().WithParameterName("mean");
        FluentActions.Invoking(() => new ChannelNormalization([0f, 1f], [1f])).Should().Throw<ArgumentException>();
        var constant = new Dataset(Shape, new float[16], [0, 1], 2);
        FluentActions.Invoking(() => ChannelNormalization.Compute(constant)).Should().Throw<ArgumentException>().WithMessage("Channel 0 of the data is constant*");
        FluentActions.Invoking(() => new ChannelNormalization([0f], [1f]).Apply(constant)).Should().Throw<ArgumentException>().WithMessage("*2 channels*");
    }
}
