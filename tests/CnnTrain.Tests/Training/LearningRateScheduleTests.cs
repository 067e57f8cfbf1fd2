using CnnTrain.Training;
using FluentAssertions;
using NUnit.Framework;

namespace CnnTrain.Tests.Training;

public class LearningRateScheduleTests
{
    // The expected bits come from an independent computation in double (Python's math.cos), rounded to float32.
    private const float Base = 0.1f;

    [Test]
    public void Constant_gives_the_base_rate_at_every_step()
    {
        LearningRateSchedule.Constant.RateAt(0, 0, 1, Base).Should().Be(Base);
        LearningRateSchedule.Constant.RateAt(1000, 7, 8, 0.37f).Should().Be(0.37f);
        new TrainerOptions().Schedule.Should().BeSameAs(LearningRateSchedule.Constant);
    }

    [Test]
    public void Step_multiplies_by_gamma_every_n_epochs()
    {
        StepSchedule halve = LearningRateSchedule.Step(2, 0.5);
        Bits(Enumerable.Range(0, 6).Select(e => halve.RateAt(e, 3, 10, Base)))
            .Should().Equal(0x3dcccccd, 0x3dcccccd, 0x3d4ccccd, 0x3d4ccccd, 0x3ccccccd, 0x3ccccccd);

        StepSchedule tenth = LearningRateSchedule.Step(3, 0.1);
        Bits(new[] { 0, 2, 3, 5, 6, 8 }.Select(e => tenth.RateAt(e, 0, 1, Base)))
            .Should().Equal(0x3dcccccd, 0x3dcccccd, 0x3c23d70a, 0x3c23d70a, 0x3a83126f, 0x3a83126f);
        tenth.RateAt(6, 0, 1, Base).Should().Be(0.001f);
    }

    [Test]
    public void Cosine_anneals_per_epoch_to_the_minimum_and_stays_there()
    {
        CosineSchedule toZero = LearningRateSchedule.Cosine(4);
        Bits(Enumerable.Range(0, 6).Select(e => toZero.RateAt(e, 5, 6, Base)))
            .Should().Equal(0x3dcccccd, 0x3daecec8, 0x3d4ccccd, 0x3c6ff029, 0, 0);

        CosineSchedule toMinimum = LearningRateSchedule.Cosine(4, 0.01);
        Bits(Enumerable.Range(0, 6).Select(e => toMinimum.RateAt(e, 0, 6, Base)))
            .Should().Equal(0x3dcccccd, 0x3db1ce95, 0x3d6147ae, 0x3cbde464, 0x3c23d70a, 0x3c23d70a);
        toMinimum.RateAt(1, 0, 6, Base).Should().Be(toMinimum.RateAt(1, 5, 6, Base), "a per-epoch schedule is flat within an epoch");
    }

    [Test]
    public void Cosine_over_steps_counts_steps_across_epochs()
    {
        CosineSchedule schedule = LearningRateSchedule.CosineOverSteps(10, 0.001);
        var rates = new List<float>();
        for (int epoch = 0; epoch < 3; epoch++)
        {
            for (int step = 0; step < 4; step++)
            {
                rates.Add(schedule.RateAt(epoch, step, 4, Base));
            }
        }

        Bits(rates).Should().Equal(
            0x3dcccccd, 0x3dc7d69b, 0x3db9705c, 0x3da302e6, 0x3d86c03c, 0x3d4ed917,
            0x3d1031b6, 0x3caf58c3, 0x3c2b45d3, 0x3b604f6b, 0x3a83126f, 0x3a83126f);
    }

    [Test]
    public void The_cosine_of_our_own_agrees_with_the_platform_in_double()
    {
        for (int i = 0; i <= 4096; i++)
        {
            double u = i / 4096.0;
            double expected = (1 + Math.Cos(Math.PI * u)) / 2;
            ScheduleMath.HalfCosine(u).Should().BeApproximately(expected, 4e-16, $"u = {u}");
        }

        ScheduleMath.HalfCosine(0).Should().Be(1);
        ScheduleMath.Power(0.5, 3).Should().Be(0.125);
        ScheduleMath.Power(1e300, 5).Should().Be(double.PositiveInfinity);
    }

    [Test]
    public void Schedules_describe_themselves_and_compare_by_value()
    {
        LearningRateSchedule.Constant.ToString().Should().Be("constant");
        LearningRateSchedule.Step(2, 0.5).ToString().Should().Be("step(every 2 epochs, gamma 0.5)");
        LearningRateSchedule.Cosine(10).ToString().Should().Be("cosine(10 epochs, minimum 0)");
        LearningRateSchedule.CosineOverSteps(500, 1e-4).ToString().Should().Be("cosine(500 steps, minimum 0.0001)");
        LearningRateSchedule.Step(2, 0.5).Should().Be(LearningRateSchedule.Step(2, 0.5)).And.NotBe(LearningRateSchedule.Step(3, 0.5));
        new TrainerOptions { Schedule = LearningRateSchedule.Cosine(5) }.Should().Be(new TrainerOptions { Schedule = LearningRateSchedule.Cosine(5) });
    }

    [Test]
    public void Arguments_are_validated_by_name()
    {
        Expect(() => LearningRateSchedule.Step(0, 0.5), "everyEpochs");
        Expect(() => LearningRateSchedule.Step(1, 0), "gamma");
        Expect(() => LearningRateSchedule.Step(1, double.NaN), "gamma");
        Expect(() => LearningRateSchedule.Step(1, 1.0000000000000002), "gamma");
        Expect(() => new StepSchedule(1, 1e300), "gamma");
        Expect(() => LearningRateSchedule.Cosine(0), "epochs");
        Expect(() => LearningRateSchedule.Cosine(5, -0.1), "minimumRate");
        Expect(() => LearningRateSchedule.Cosine(5, double.PositiveInfinity), "minimumRate");
        Expect(() => LearningRateSchedule.CosineOverSteps(0), "steps");
        Expect(() => new CosineSchedule(0), "length");
        Expect(() => LearningRateSchedule.Constant.RateAt(-1, 0, 1, Base), "epoch");
        Expect(() => LearningRateSchedule.Constant.RateAt(0, 1, 1, Base), "step");
        Expect(() => LearningRateSchedule.Constant.RateAt(0, -1, 1, Base), "step");
        Expect(() => LearningRateSchedule.Constant.RateAt(0, 0, 0, Base), "stepsPerEpoch");
        Expect(() => LearningRateSchedule.Constant.RateAt(0, 0, 1, 0f), "baseRate");
        Expect(() => LearningRateSchedule.Constant.RateAt(0, 0, 1, float.NaN), "baseRate");
    }

    [Test]
    public void Trainer_options_refuse_a_missing_schedule_and_a_minimum_above_the_rate()
    {
        FluentActions.Invoking(() => new TrainerOptions { Schedule = null! }.Validate())
            .Should().Throw<ArgumentNullException>().Where(e => e.ParamName == "Schedule");
        FluentActions.Invoking(() => new TrainerOptions { LearningRate = 0.1f, Schedule = LearningRateSchedule.Cosine(5, 0.5) }.Validate())
            .Should().Throw<ArgumentOutOfRangeException>().Where(e => e.ParamName == "Schedule")
            .WithMessage("The cosine schedule's minimum rate 0.5 exceeds the learning rate 0.1.*");
        FluentActions.Invoking(() => LearningRateSchedule.Cosine(5, 0.5).Validate(0.1f))
            .Should().Throw<ArgumentOutOfRangeException>().Where(e => e.ParamName == "baseRate");
        FluentActions.Invoking(() => LearningRateSchedule.Step(1, 1).Validate(0.1f)).Should().NotThrow();
        FluentActions.Invoking(() => new TrainerOptions { LearningRate = 0.5f, Schedule = LearningRateSchedule.Cosine(5, 0.5) }.Validate())
            .Should().NotThrow();
    }

    [Test]
    public void A_step_schedule_never_grows_the_rate()
    {
        // A gamma above 1 made the rate grow each decay until the float overflowed and training threw mid-run.
        Expect(() => LearningRateSchedule.Step(1, 2), "gamma");
        LearningRateSchedule.Step(1, 1).RateAt(500, 0, 1, float.MaxValue).Should().Be(float.MaxValue);
        LearningRateSchedule.Step(1, 0.5).RateAt(500, 0, 1, float.MaxValue).Should().Be(0f);
    }

    [TestCase(1, false)]
    [TestCase(7, true)]
    [TestCase(int.MaxValue, false)]
    [TestCase(int.MaxValue, true)]
    public void A_cosine_rate_stays_between_the_minimum_and_the_base_rate_at_extreme_arguments(int length, bool perStep)
    {
        foreach (double minimum in new[] { 0, 1e-45, 1e-3, (double)float.MaxValue })
        {
            var schedule = new CosineSchedule(length, minimum, perStep);
            foreach ((int epoch, int step, int steps) in new[] { (0, 0, 1), (3, 2, 5), (int.MaxValue, 0, 1), (int.MaxValue, int.MaxValue - 1, int.MaxValue) })
            {
                float rate = schedule.RateAt(epoch, step, steps, float.MaxValue);
                rate.Should().BeInRange((float)minimum, float.MaxValue, $"{schedule} at epoch {epoch}, step {step} of {steps}");
            }
        }
    }

    [Test]
    public void A_custom_schedule_that_gives_a_bad_rate_is_refused_with_where()
    {
        var schedule = new FixedSchedule(epoch => epoch == 0 ? 0.1 : -1);
        schedule.RateAt(0, 0, 1, Base).Should().Be(Base);
        FluentActions.Invoking(() => schedule.RateAt(1, 2, 3, Base)).Should().Throw<InvalidOperationException>()
            .WithMessage("The schedule fixed gives the learning rate -1 at epoch 1, step 2;*");
        new FixedSchedule(_ => double.MaxValue).Invoking(s => s.RateAt(0, 0, 1, Base)).Should().Throw<InvalidOperationException>();
        new FixedSchedule(_ => -0.0).RateAt(0, 0, 1, Base).Should().Be(0f).And.Match(r => !float.IsNegative(r));
    }

    private static void Expect(Action action, string name) =>
        action.Should().Throw<ArgumentOutOfRangeException>().Where(e => e.ParamName == name, $"the parameter {name} is out of range");

    private static IEnumerable<int> Bits(IEnumerable<float> values) => values.Select(BitConverter.SingleToInt32Bits);
}
