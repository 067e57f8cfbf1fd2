using FluentAssertions;
using NUnit.Framework;

namespace CnnTrain.Tests.Runner;

public sealed class SkipReasonsTests
{
    [Test]
    public void Counts_each_reason_once_the_most_common_first()
    {
        var reasons = new SkipReasons();
        reasons.Add("Needs a CUDA device: no device");
        reasons.Add("Needs the NVIDIA driver library");
        reasons.Add("Needs a CUDA device: no device");
        reasons.Add("Needs a CUDA device: no device");

        reasons.Lines().Should().Equal(
            "3 tests skipped: Needs a CUDA device: no device",
            "1 test skipped: Needs the NVIDIA driver library");
    }

    [Test]
    public void Equal_counts_are_listed_in_ordinal_order_of_the_reason()
    {
        var reasons = new SkipReasons();
        reasons.Add("b");
        reasons.Add("a");

        reasons.Lines().Should().Equal("1 test skipped: a", "1 test skipped: b");
    }

    [Test]
    public void Missing_reasons_share_one_line_and_surrounding_blanks_do_not_split_a_reason()
    {
        var reasons = new SkipReasons();
        reasons.Add(null);
        reasons.Add("  ");
        reasons.Add("why");
        reasons.Add(" why\n");

        reasons.Lines().Should().Equal($"2 tests skipped: {SkipReasons.NoReason}", "2 tests skipped: why");
    }

    [Test]
    public void A_test_skipped_by_its_fixture_s_one_time_setup_counts_under_the_same_reason()
    {
        var reasons = new SkipReasons();
        reasons.Add("OneTimeSetUp: Needs a CUDA device: no device");
        reasons.Add("Needs a CUDA device: no device");

        reasons.Lines().Should().Equal("2 tests skipped: Needs a CUDA device: no device");
    }

    [Test]
    public void No_skipped_test_prints_nothing() => new SkipReasons().Lines().Should().BeEmpty();

    [Test]
    public void Counts_reasons_added_from_many_threads()
    {
        var reasons = new SkipReasons();
        Parallel.For(0, 10_000, i => reasons.Add(i % 2 == 0 ? "even" : "odd"));

        reasons.Lines().Should().Equal("5000 tests skipped: even", "5000 tests skipped: odd");
    }
}
