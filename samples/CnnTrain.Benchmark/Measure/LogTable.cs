using Spectre.Console;
using Spectre.Console.Rendering;

namespace CnnTrain.Benchmark.Measure;

/// <summary>
/// Spectre.Console tables written to one of the app's writers as plain text, in Markdown's table form: the benchmark
/// runs on remote hosts with its output kept in logs, and a block of a log pastes into docs as it is.
/// </summary>
internal static class LogTable
{
    // A log has no window to fit: no table is wrapped.
    private const int Width = 4096;

    public static Table Create(params TableColumn[] columns) => new Table { Border = TableBorder.Markdown }.AddColumns(columns);

    public static TableColumn Left(string header) => new(new Text(header));

    public static TableColumn Right(string header) => new TableColumn(new Text(header)).RightAligned();

    /// <summary>Adds a row of plain texts: names such as "Conv2D(32, 3x3)" hold no markup.</summary>
    public static void Row(Table table, params string[] cells) => table.AddRow([.. cells.Select(c => (IRenderable)new Text(c))]);

    public static void Write(TextWriter writer, IRenderable table)
    {
        IAnsiConsole console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
        });
        console.Profile.Width = Width;
        console.Write(table);
    }
}
