using CnnTrain.Mnist;

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
}
