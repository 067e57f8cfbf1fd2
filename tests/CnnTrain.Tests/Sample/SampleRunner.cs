using CnnTrain.Mnist;
using CnnTrain.Mnist.Arguments;

namespace CnnTrain.Tests.Sample;

/// <summary>Runs the trainer sample in-process with captured output, as its tests do.</summary>
public static class SampleRunner
{
    public static (int Code, string Output, string Errors) Run(string[] args, CancellationToken cancellationToken = default)
    {
        using var output = new StringWriter();
        using var errors = new StringWriter();
        int code = TrainerApp.Run(args, new AppConsole(output, errors, ErrorIsTerminal: false), cancellationToken);
        return (code, output.ToString(), errors.ToString());
    }

    /// <summary>The options the app's command line hands to training; a bad line throws its <see cref="OptionException"/>.</summary>
    internal static Options Parse(params string[] args)
    {
        Options? parsed = null;
        AppCommandLine.Run(args, new AppConsole(TextWriter.Null, TextWriter.Null, ErrorIsTerminal: false), options =>
        {
            parsed = options;
            return ExitCodes.Success;
        });
        return parsed ?? throw new InvalidOperationException($"{string.Join(' ', args)} asks for no training");
    }
}
