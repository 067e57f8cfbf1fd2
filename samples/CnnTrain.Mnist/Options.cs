using System.Globalization;

namespace CnnTrain.Mnist;

/// <summary>Everything a run is told on the command line, with the defaults of the original study.</summary>
internal sealed partial record Options
{
    public DeviceKind Device { get; init; } = DeviceKind.Multicore;

    /// <summary>Worker threads of the multicore device; null for one per processor.</summary>
    public int? Threads { get; init; }

    public int Filters { get; init; } = 32;

    public int KernelSize { get; init; } = 3;

    public int BatchSize { get; init; } = 100;

    public int Epochs { get; init; } = 3;

    public float LearningRate { get; init; } = 0.05f;

    public float Momentum { get; init; } = 0.9f;

    /// <summary>Seeds both the initial weights and the per-epoch shuffles.</summary>
    public int Seed { get; init; } = 1;

    public Initialization Initialization { get; init; } = Initialization.He;

    /// <summary>A folder of data in <see cref="DataFormat"/>'s layout; null for the MNIST set bundled next to the app.</summary>
    public string? DataDirectory { get; init; }

    public string? ReportPath { get; init; }

    public bool Quiet { get; init; }

    /// <summary>Where to save the trained network at the end; null for nowhere.</summary>
    public string? SavePath { get; init; }

    /// <summary>Where to write the trained network as an ONNX model at the end; null for nowhere.</summary>
    public string? OnnxPath { get; init; }

    /// <summary>Where to save a checkpoint after every epoch; null for nowhere.</summary>
    public string? CheckpointPath { get; init; }

    /// <summary>A checkpoint to continue from; it fixes the network and the trainer's options.</summary>
    public string? ResumePath { get; init; }

    /// <summary>Uses only the first N training and the first N test samples; null for all.</summary>
    public int? Limit { get; init; }

    // Bounds that keep every buffer the device allocates far below 2^31 elements at ordinary batch sizes.
    public const int MaxFilters = 4096;
    public const int MaxBatchSize = 65536;

    /// <summary>Throws <see cref="OptionException"/> naming the first option that is out of range or does not fit the others.</summary>
    public void Validate()
    {
        if (Threads is int threads)
        {
            if (Device != DeviceKind.Multicore)
            {
                throw new OptionException($"--threads applies only to --device multicore (got --device {Name(Device)})");
            }

            AtLeast("--threads", threads, 1);
        }

        AtLeast("--filters", Filters, 1);
        AtMost("--filters", Filters, MaxFilters);
        AtLeast("--kernel", KernelSize, 1);
        AtLeast("--batch-size", BatchSize, 1);
        AtMost("--batch-size", BatchSize, MaxBatchSize);
        AtLeast("--epochs", Epochs, 1);
        if (!float.IsFinite(LearningRate))
        {
            throw new OptionException($"--lr must be a finite number (got {Format(LearningRate)})");
        }

        if (LearningRate <= 0f)
        {
            throw new OptionException($"--lr must be positive (got {Format(LearningRate)})");
        }

        if (!(Momentum >= 0f && Momentum < 1f))
        {
            throw new OptionException($"--momentum must be at least 0 and below 1 (got {Format(Momentum)})");
        }

        ValidateTraining();
        ValidateData();
        if (Limit is int limit)
        {
            AtLeast("--limit", limit, 1);
        }

        if (DataDirectory is not null && !Directory.Exists(DataDirectory))
        {
            throw new OptionException($"--data folder not found (got {DataDirectory})");
        }

        // Output paths are checked now rather than after training, which may take hours, so that a typo costs nothing.
        CheckOutputFile("--report", ReportPath);
        CheckOutputFile("--save", SavePath);
        CheckOutputFile("--export-onnx", OnnxPath);
        CheckOutputFile("--checkpoint", CheckpointPath);
        if (ResumePath is not null && !File.Exists(ResumePath))
        {
            throw new OptionException($"--resume checkpoint not found (got {ResumePath})");
        }
    }

    /// <summary>Throws unless <paramref name="path"/> (when given) names a file in a folder that exists.</summary>
    public static void CheckOutputFile(string option, string? path)
    {
        if (path is null)
        {
            return;
        }

        string full = Path.GetFullPath(path);
        if (Directory.Exists(full))
        {
            throw new OptionException($"{option} must name a file, not a folder (got {path})");
        }

        string? folder = Path.GetDirectoryName(full);
        if (folder is not null && !Directory.Exists(folder))
        {
            throw new OptionException($"{option} folder {folder} does not exist (got {path})");
        }
    }

    public static string Name(DeviceKind device) => device.ToString().ToLowerInvariant();

    public static string Name(Initialization initialization) => initialization.ToString().ToLowerInvariant();

    public static string Format(float value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static void AtLeast(string option, int value, int minimum)
    {
        if (value < minimum)
        {
            throw new OptionException($"{option} must be at least {minimum} (got {value})");
        }
    }

    private static void AtMost(string option, int value, int maximum)
    {
        if (value > maximum)
        {
            throw new OptionException($"{option} must be at most {maximum} (got {value})");
        }
    }
}
