using Microsoft.Testing.Platform.Extensions;
using Microsoft.Testing.Platform.Extensions.Messages;
using Microsoft.Testing.Platform.Extensions.OutputDevice;
using Microsoft.Testing.Platform.Extensions.TestHost;
using Microsoft.Testing.Platform.OutputDevice;
using Microsoft.Testing.Platform.Services;

namespace CnnTrain.Tests.Runner;

/// <summary>
/// Prints, at the end of a run, one line per distinct skip reason (<see cref="SkipReasons"/>). The skipped tests
/// themselves are untouched: they still reach the platform, the TRX report and an IDE as skipped, each with its
/// reason; only the terminal's per-test blocks for them are hidden (<see cref="RunDefaults"/>).
/// </summary>
internal sealed class SkipSummary(IOutputDevice output) : IDataConsumer, ITestSessionLifetimeHandler, IOutputDeviceDataProducer
{
    private readonly SkipReasons _reasons = new();

    public string Uid => nameof(SkipSummary);

    public string Version => "1.0.0";

    public string DisplayName => "Skip reasons summary";

    public string Description => "Prints each reason tests were skipped for once, with the number of tests.";

    public Type[] DataTypesConsumed => [typeof(TestNodeUpdateMessage)];

    public Task<bool> IsEnabledAsync() => Task.FromResult(true);

    public Task ConsumeAsync(IDataProducer dataProducer, IData value, CancellationToken cancellationToken)
    {
        if (value is TestNodeUpdateMessage update && update.TestNode.Properties.SingleOrDefault<TestNodeStateProperty>() is SkippedTestNodeStateProperty skipped)
        {
            _reasons.Add(skipped.Explanation);
        }

        return Task.CompletedTask;
    }

    public Task OnTestSessionStartingAsync(ITestSessionContext testSessionContext) => Task.CompletedTask;

    // The platform drains the message bus before it calls a handler that is also a data consumer, so every result is counted.
    public async Task OnTestSessionFinishingAsync(ITestSessionContext testSessionContext)
    {
        foreach (var line in _reasons.Lines())
        {
            await output.DisplayAsync(this, new TextOutputDeviceData(line), testSessionContext.CancellationToken);
        }
    }
}
