using Microsoft.Testing.Platform.Builder;
using Microsoft.Testing.Platform.Extensions;
using Microsoft.Testing.Platform.Services;

namespace CnnTrain.Tests.Runner;

/// <summary>
/// The test app's entry point, in place of the generated one (GenerateTestingPlatformEntryPoint is off), so that
/// it can add <see cref="RunDefaults"/> and the <see cref="SkipSummary"/>.
/// </summary>
internal static class TestProgram
{
    public static async Task<int> Main(string[] args)
    {
        var arguments = RunDefaults.Apply(args, AppContext.BaseDirectory, Cuda.CudaTestEnvironment.Unavailable is null);
        var builder = await TestApplication.CreateBuilderAsync(arguments);
        builder.AddSelfRegisteredExtensions(arguments);
        var summary = new CompositeExtensionFactory<SkipSummary>(services => new SkipSummary(services.GetOutputDevice()));
        builder.TestHost.AddDataConsumer(summary);
        builder.TestHost.AddTestSessionLifetimeHandler(summary);
        using var app = await builder.BuildAsync();
        return await app.RunAsync();
    }
}
