using CnnTrain.Mnist;
using FluentAssertions;
using NUnit.Framework;

namespace CnnTrain.Tests.Sample;

public class ReportTests
{
    [Test]
    public void Floats_read_back_bit_for_bit_and_the_write_replaces_the_old_file()
    {
        string path = Path.Combine(Path.GetTempPath(), "cnntrain-report-" + Guid.NewGuid().ToString("N") + ".json");
        float[] awkward = [0.1f, 1f / 3f, float.Epsilon, 2.3025851f, BitConverter.Int32BitsToSingle(0x3F7FFFFF)];
        try
        {
            File.WriteAllText(path, "old");
            Sample(awkward).Write(path);

            Report.Read(path).Epochs[0].StepLosses.Select(BitConverter.SingleToInt32Bits)
                .Should().Equal(awkward.Select(BitConverter.SingleToInt32Bits));
            File.Exists(path + ".tmp").Should().BeFalse();
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static Report Sample(float[] stepLosses) => new(
        new ReportSettings("sequential", null, 4, 3, 50, 1, 0.01f, 0.9f, 1, "he", "bundled", null),
        "sequential",
        new ReportNetwork("(1, 28, 28)", ["Dense(10)"], 7850),
        new ReportData(100, 100),
        [new ReportEpoch(1, 2.3, 0.1, 2.2, 0.2, 1.0, 0.5, 100, stepLosses)],
        false,
        0.2,
        new string('0', 64),
        ReportMachine.Current(),
        DateTime.UtcNow);
}
