using CnnTrain.Mnist;

using var cancellation = new CancellationTokenSource();

// The first Ctrl+C asks training to stop cleanly (the report still gets written; the app says so); a second one ends the process.
void OnCancel(object? sender, ConsoleCancelEventArgs e)
{
    if (!cancellation.IsCancellationRequested)
    {
        e.Cancel = true;
        cancellation.Cancel();
    }
}

Console.CancelKeyPress += OnCancel;
try
{
    return TrainerApp.Run(args, AppConsole.System, cancellation.Token);
}
finally
{
    Console.CancelKeyPress -= OnCancel;
}
