using System.Runtime.ExceptionServices;
using CnnTrain.Training;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace CnnTrain.Mnist;

/// <summary>
/// The epoch under way as a Spectre.Console progress bar on stderr, removed when the epoch ends so that the epoch's
/// line starts clean. It draws only when given a console, which the app gives it only when stderr is a terminal and
/// --quiet is off: in a log file the redraws would be noise.
/// </summary>
internal sealed class ProgressBar(IAnsiConsole? console, TextWriter error, int totalEpochs)
{
    /// <summary>Writes <paramref name="line"/> to stderr: above the bar while one is drawn, where its redraws leave it standing.</summary>
    public void Notice(string line)
    {
        if (console is null)
        {
            error.WriteLine(line);
        }
        else
        {
            console.WriteLine(line);
        }
    }

    /// <summary>Runs <paramref name="work"/> (one epoch of <paramref name="steps"/> steps) with the bar showing its progress.</summary>
    public T Run<T>(int epoch, int steps, Func<IProgress<TrainingProgress>?, T> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        if (console is null)
        {
            return work(null);
        }

        // A failure or cancellation is carried out of the display and rethrown after it, so that the bar is cleared
        // then too: Spectre leaves it standing when the work throws.
        ExceptionDispatchInfo? failure = null;
        T result = console.Progress()
            .AutoClear(true)
            .Columns(
                new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new StepColumn(), new ElapsedTimeColumn(),
                new RemainingTimeColumn())
            .Start(context =>
            {
                try
                {
                    return work(new TaskProgress(context.AddTask($"epoch {epoch}/{totalEpochs}", maxValue: steps)));
                }
                catch (Exception e)
                {
                    failure = ExceptionDispatchInfo.Capture(e);
                    return default!;
                }
            });
        failure?.Throw();
        return result;
    }

    // The trainer reports from its own thread; Spectre's tasks take values from any thread.
    private sealed class TaskProgress(ProgressTask task) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value)
        {
            ArgumentNullException.ThrowIfNull(value);
            task.MaxValue = value.StepsPerEpoch;
            task.Value = value.Step;
        }
    }

    private sealed class StepColumn : ProgressColumn
    {
        public override IRenderable Render(RenderOptions options, ProgressTask task, TimeSpan deltaTime) =>
            new Text(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"step {task.Value:F0}/{task.MaxValue:F0}"));
    }
}
