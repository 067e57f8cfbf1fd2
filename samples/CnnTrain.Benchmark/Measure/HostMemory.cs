using System.Diagnostics;

namespace CnnTrain.Benchmark.Measure;

/// <summary>
/// The process's peak resident memory over a measurement. On Linux the kernel's high-water mark (VmHWM) is
/// reset before each measurement by writing 5 to /proc/self/clear_refs; elsewhere the process-wide peak
/// working set is reported, which never goes down (<see cref="IsPerMeasurement"/> says which).
/// </summary>
internal static class HostMemory
{
    private const string ClearRefs = "/proc/self/clear_refs";
    private const string Status = "/proc/self/status";

    public static bool IsPerMeasurement { get; private set; } = true;

    public static void ResetPeak()
    {
        try
        {
            File.WriteAllText(ClearRefs, "5");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            IsPerMeasurement = false;
        }
    }

    public static long PeakBytes()
    {
        if (IsPerMeasurement && File.Exists(Status))
        {
            foreach (string line in File.ReadLines(Status))
            {
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal) &&
                    long.TryParse(line["VmHWM:".Length..].Trim().Split(' ')[0], out long kib))
                {
                    return kib * 1024;
                }
            }
        }

        IsPerMeasurement = false;
        using var process = Process.GetCurrentProcess();
        return process.PeakWorkingSet64;
    }
}
