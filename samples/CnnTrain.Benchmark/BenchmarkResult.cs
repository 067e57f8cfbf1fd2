namespace CnnTrain.Benchmark;

/// <summary>One device's run of one configuration.</summary>
/// <param name="Device">The device's name.</param>
/// <param name="Filters">Convolution filters.</param>
/// <param name="BatchSize">Samples per step.</param>
/// <param name="Samples">Images per epoch.</param>
/// <param name="EpochSeconds">Each epoch's training time; the first includes recording and warm-up.</param>
/// <param name="FinalLoss">The last epoch's mean loss.</param>
/// <param name="Digest">SHA-256 of the parameters after the last epoch.</param>
internal sealed record BenchmarkResult(string Device, int Filters, int BatchSize, int Samples, double[] EpochSeconds, double FinalLoss, string Digest)
{
    /// <summary>The fastest epoch after the first, or the first when there is only one.</summary>
    public double BestSeconds => EpochSeconds.Length > 1 ? EpochSeconds.Skip(1).Min() : EpochSeconds[0];

    /// <summary>Images per second in the fastest epoch.</summary>
    public double ImagesPerSecond => Samples / BestSeconds;
}
