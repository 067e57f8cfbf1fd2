using System.CommandLine;
using static CnnTrain.Mnist.Arguments.OptionKinds;
using static CnnTrain.Mnist.Arguments.OptionValues;

namespace CnnTrain.Mnist.Arguments;

/// <summary>
/// The training command line: the root command's options, their help, and how a parse becomes validated
/// <see cref="Options"/>. The defaults live in <see cref="Options"/> alone; the help quotes them from there.
/// </summary>
internal sealed class TrainCommand
{
    public const string Description =
        "Trains the study's CNN, Conv2D(F, KxK) -> ReLU -> MaxPool2D(2x2) -> Flatten -> Dense(classes), on MNIST-format, " +
        "CIFAR-10 or image-folder data and prints the SHA-256 digest of the final parameters: equal digests mean bit-identical training.";

    private static readonly Options Defaults = new();

    private readonly OptionSetting[] _settings;

    // The options that shape the numbers; the checkpoint holds them, so another value would silently break the
    // promise that resuming gives the bits of an uninterrupted run.
    private readonly Option[] _fixedByCheckpoint;

    public TrainCommand()
    {
        Option<int> filters = Valued("--filters", "F", $"Convolution filters (default {Defaults.Filters})", Integer);
        Option<int> kernel = Valued("--kernel", "K", $"Convolution kernel size (default {Defaults.KernelSize})", Integer);
        Option<int> batchSize = Valued("--batch-size", "B", $"Samples per SGD step (default {Defaults.BatchSize})", Integer);
        Option<float> lr = Valued("--lr", "X", $"Learning rate (default {Options.Format(Defaults.LearningRate)})", Number);
        Option<float> momentum = Valued("--momentum", "X", $"SGD momentum in [0, 1) (default {Options.Format(Defaults.Momentum)})", Number);
        Option<ScheduleOption> schedule = Valued(
            "--schedule", "S", "Learning-rate schedule: constant, step:EVERY:GAMMA (multiply by GAMMA every EVERY epochs) or cosine[:MIN] " +
            $"(anneal to MIN over --epochs) (default {Defaults.Schedule})", (_, v) => ScheduleOption.Parse(v));
        Option<float> weightDecay = Valued("--weight-decay", "X", "L2 weight decay, at least 0 (default 0)", Number);
        Option<int> patience = Valued(
            "--patience", "N", "Stop when the validation loss (with --validation; else the test loss) has not improved for N epochs (default: never)", Integer);
        Option<float> validation = Valued(
            "--validation", "X", "Hold out the share X in (0, 1) of the training set, split with --seed, and report its loss and accuracy every epoch (default: none)", Number);
        Option<bool> augment = Flag(
            "--augment", $"Random crops ({Options.AugmentPadding} pixels of padding) and horizontal flips of the training images, drawn from --seed every epoch (suits natural images more than digits)");
        Option<int> seed = Valued("--seed", "S", $"Seeds the initial weights and the shuffles (default {Defaults.Seed})", Integer);
        Option<Initialization> init = Valued(
            "--init", "NAME", $"Initial weights: he, or study for the original normal x 0.1 (default {Options.Name(Defaults.Initialization)})", Choice(("he", Initialization.He), ("study", Initialization.Study)));
        _fixedByCheckpoint = [filters, kernel, batchSize, lr, momentum, seed, init, schedule, weightDecay, patience, validation, augment];

        _settings =
        [
            OptionSetting.Of(DeviceOption(), (o, v) => o with { Device = v }),
            OptionSetting.Of(ThreadsOption(), (o, v) => o with { Threads = v }),
            OptionSetting.Of(filters, (o, v) => o with { Filters = v }),
            OptionSetting.Of(kernel, (o, v) => o with { KernelSize = v }),
            OptionSetting.Of(batchSize, (o, v) => o with { BatchSize = v }),
            OptionSetting.Of(Valued("--epochs", "E", $"Passes over the training set (default {Defaults.Epochs})", Integer), (o, v) => o with { Epochs = v }),
            OptionSetting.Of(lr, (o, v) => o with { LearningRate = v }),
            OptionSetting.Of(momentum, (o, v) => o with { Momentum = v }),
            OptionSetting.Of(schedule, (o, v) => o with { Schedule = v }),
            OptionSetting.Of(weightDecay, (o, v) => o with { WeightDecay = v }),
            OptionSetting.Of(patience, (o, v) => o with { Patience = v }),
            OptionSetting.Of(validation, (o, v) => o with { ValidationFraction = v }),
            OptionSetting.Of(augment, (o, v) => o with { Augment = v }),
            OptionSetting.Of(seed, (o, v) => o with { Seed = v }),
            OptionSetting.Of(init, (o, v) => o with { Initialization = v }),
            OptionSetting.Of(
                Valued(
                    "--data", "DIR", "Folder with train-images-idx3-ubyte[.gz], train-labels-idx1-ubyte[.gz], t10k-images-idx3-ubyte[.gz] and " +
                    "t10k-labels-idx1-ubyte[.gz], as MNIST and Fashion-MNIST ship them (default: the 8004/1996-digit MNIST subset next to the app)", Text),
                (o, v) => o with { DataDirectory = v }),
            OptionSetting.Of(
                Valued(
                    "--data-format", "F", "The layout of --data: idx (the default), cifar10 (DIR holds data_batch_1..5.bin and test_batch.bin, raw or .gz) or folder " +
                    "(DIR/train and DIR/test, one subfolder per class of PNG, JPEG or BMP images of one size)",
                    Choice(("idx", DataFormat.Idx), ("cifar10", DataFormat.Cifar10), ("folder", DataFormat.Folder))),
                (o, v) => o with { DataFormat = v }),
            OptionSetting.Of(Valued("--limit", "N", "Use only the first N training and the first N test samples (for smoke runs)", Integer), (o, v) => o with { Limit = v }),
            OptionSetting.Of(
                Valued("--report", "FILE", "Write the settings, per-epoch metrics, test confusion matrix and digest as JSON to FILE", Text),
                (o, v) => o with { ReportPath = v }),
            OptionSetting.Of(
                Valued("--plot", "FILE", "Write a PNG chart of loss and accuracy (train and test) per epoch to FILE", Text), (o, v) => o with { PlotPath = v }),
            OptionSetting.Of(
                Flag("--confusion", "Print the test set's confusion matrix (rows: true label, columns: predicted)"), (o, v) => o with { Confusion = v }),
            OptionSetting.Of(Valued("--save", "FILE", "Save the trained network to FILE at the end (for predict)", Text), (o, v) => o with { SavePath = v }),
            OptionSetting.Of(
                Valued("--export-onnx", "FILE", "Write the trained network to FILE as an ONNX model (opset 17; outputs logits and probabilities) for ONNX Runtime or ML.NET", Text),
                (o, v) => o with { OnnxPath = v }),
            OptionSetting.Of(Valued("--checkpoint", "FILE", "Save a checkpoint to FILE after every epoch", Text), (o, v) => o with { CheckpointPath = v }),
            OptionSetting.Of(
                Valued(
                    "--resume", "FILE", "Continue from a checkpoint up to --epochs in all; the checkpoint fixes the network, batch size, " +
                    "learning rate and schedule, momentum, weight decay, seed, validation split and augmentation", Text),
                (o, v) => o with { ResumePath = v }),
            OptionSetting.Of(Flag("--quiet", "No progress bar"), (o, v) => o with { Quiet = v }),
        ];
    }

    /// <summary><c>--device</c>, for the training command and <c>predict</c>.</summary>
    public static Option<DeviceKind> DeviceOption() => Valued(
        "--device", "NAME", $"The device: sequential, multicore or cuda (default {Options.Name(Defaults.Device)})",
        Choice(("sequential", DeviceKind.Sequential), ("multicore", DeviceKind.Multicore), ("cuda", DeviceKind.Cuda)));

    /// <summary><c>--threads</c>, for the training command and <c>predict</c>.</summary>
    public static Option<int> ThreadsOption() => Valued("--threads", "N", "Worker threads of the multicore device (default: one per processor)", Integer);

    /// <summary>The root command, training with the options <paramref name="train"/> is handed.</summary>
    public RootCommand Create(Func<Options, int> train)
    {
        var root = new RootCommand(Description);
        foreach (OptionSetting setting in _settings)
        {
            root.Options.Add(setting.Option);
        }

        root.SetAction(result => train(Read(result)));
        return root;
    }

    /// <summary>The options <paramref name="result"/> gives, validated.</summary>
    /// <exception cref="OptionException">An option cannot be given with the others, or a value is out of range.</exception>
    public Options Read(ParseResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        Options options = _settings.Aggregate(new Options(), (o, setting) => setting.Apply(o, result));
        if (options.ResumePath is not null && _fixedByCheckpoint.FirstOrDefault(result.IsGiven) is Option fixedOption)
        {
            throw new OptionException($"{fixedOption.Name} cannot be given with --resume: the checkpoint fixes it");
        }

        options.Validate();
        return options;
    }
}
