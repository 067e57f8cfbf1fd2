using System.Diagnostics;
using System.Globalization;
using CnnTrain.Training;

namespace CnnTrain.Mnist;

/// <summary>
/// A one-line bar on stderr for the epoch under way, redrawn in place with '\r'. It draws only when enabled,
/// which the app makes it only when stderr is a terminal: in a log file the redraws would be noise.
/// </summary>
internal sealed class ProgressBar(TextWriter writer, bool enabled, int totalEpochs) : IProgress<TrainingProgress>
{
    private const int Width = 30;
    private readonly Stopwatch _clock = new();
    private int _drawnLength;

    /// <summary>Shows an empty bar for <paramref name="epoch"/> of <paramref name="steps"/> steps and starts its clock.</summary>
    public void Start(int epoch, int steps)
    {
        _clock.Restart();
        Draw(epoch, 0, steps);
    }

    /// <inheritdoc />
    public void Report(TrainingProgress value)
    {
        ArgumentNullException.ThrowIfNull(value);
        Draw(value.Epoch, value.Step, value.StepsPerEpoch);
    }

    /// <summary>Erases the bar, so the next line written to the terminal starts clean.</summary>
    public void Clear()
    {
        if (_drawnLength > 0)
        {
            writer.Write('\r' + new string(' ', _drawnLength) + '\r');
            writer.Flush();
            _drawnLength = 0;
        }
    }

    private void Draw(int epoch, int step, int steps)
    {
        if (!enabled)
        {
            return;
        }

        double fraction = steps == 0 ? 0 : Math.Clamp((double)step / steps, 0, 1);
        int filled = (int)(fraction * Width);
        double elapsed = _clock.Elapsed.TotalSeconds;
        string eta = fraction is > 0 and < 1
            ? string.Create(CultureInfo.InvariantCulture, $"  eta {elapsed / fraction * (1 - fraction):F0} s")
            : string.Empty;
        string line = string.Create(
            CultureInfo.InvariantCulture,
            $"epoch {epoch}/{totalEpochs} [{new string('#', filled)}{new string('.', Width - filled)}] {fraction * 100,3:F0}%  step {step}/{steps}  {elapsed:F1} s{eta}");

        // Pads over the tail of a longer previous line instead of clearing first, which would flicker.
        writer.Write('\r' + line.PadRight(_drawnLength));
        writer.Flush();
        _drawnLength = line.Length;
    }
}
