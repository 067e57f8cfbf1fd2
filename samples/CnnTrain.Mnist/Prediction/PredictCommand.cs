using CnnTrain.Data;
using CnnTrain.Devices;

namespace CnnTrain.Mnist.Prediction;

/// <summary>
/// <c>predict --model FILE (--idx IMAGES | --png FILE...) [--device NAME] [--threads N]</c>: loads a saved
/// model and prints one predicted label per image, "index label" for IDX and "file label" for PNG.
/// </summary>
internal static class PredictCommand
{
    public const string Usage = """
        Usage: CnnTrain.Mnist predict --model FILE (--idx IMAGES | --png FILE...) [--device NAME] [--threads N]

        Loads a model saved with --save and prints the predicted class of each image, one per line:
        "index label" for an IDX image file (raw or .gz), "file label" for PNG files (8-bit gray, gray +
        alpha, RGB or RGBA; white digits on black, as in MNIST; the size must match the model's input).

        """;

    public static int Run(IReadOnlyList<string> args, AppConsole console)
    {
        if (args.Any(a => a is "--help" or "-h"))
        {
            console.Out.Write(Usage);
            return ExitCodes.Success;
        }

        (string model, string? idx, List<string> pngs, Options deviceOptions) = Parse(args);
        Network network = Network.Load(model);
        (List<string> names, float[] samples) = idx is not null ? FromIdx(idx, network) : FromPngs(pngs, network);
        using IComputeDevice device = DeviceFactory.Create(deviceOptions);
        int[] labels = network.Predict(device, samples);
        for (int i = 0; i < labels.Length; i++)
        {
            console.Out.WriteLine($"{names[i]} {labels[i]}");
        }

        return ExitCodes.Success;
    }

    private static (string Model, string? Idx, List<string> Pngs, Options Device) Parse(IReadOnlyList<string> args)
    {
        string? model = null, idx = null;
        var pngs = new List<string>();
        var device = new List<string>();
        for (int i = 0; i < args.Count; i++)
        {
            string name = args[i];
            string Value() => i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal)
                ? args[++i]
                : throw new OptionException($"{name} needs a value");
            switch (name)
            {
                case "--model":
                    model = Value();
                    break;
                case "--idx":
                    idx = Value();
                    break;
                case "--png":
                    pngs.Add(Value());
                    while (i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal))
                    {
                        pngs.Add(args[++i]);
                    }

                    break;
                case "--device" or "--threads":
                    device.Add(name);
                    device.Add(Value());
                    break;
                default:
                    throw new OptionException($"unknown predict option {name} (see predict --help)");
            }
        }

        if (model is null)
        {
            throw new OptionException("predict needs --model FILE");
        }

        if ((idx is null) == (pngs.Count == 0))
        {
            throw new OptionException("predict needs either --idx IMAGES or --png FILE..., not both and not neither");
        }

        return (model, idx, pngs, OptionParser.Parse(device).Options);
    }

    private static (List<string>, float[]) FromIdx(string path, Network network)
    {
        (int count, int rows, int columns, byte[] pixels) = IdxReader.ReadImages(path);
        CheckSize(path, columns, rows, network);
        return ([.. Enumerable.Range(0, count).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture))], ToSamples(pixels));
    }

    // Decoded as the library decodes an image folder's files, in gray at the file's own size, which must be the model's.
    private static (List<string>, float[]) FromPngs(List<string> paths, Network network)
    {
        var samples = new List<float>();
        foreach (string path in paths)
        {
            (float[] values, TensorShape shape) = Dataset.LoadImage(path, new ImageFolderOptions { Channels = 1 });
            CheckSize(path, shape.Width, shape.Height, network);
            samples.AddRange(values);
        }

        return (paths, [.. samples]);
    }

    private static void CheckSize(string path, int width, int height, Network network)
    {
        TensorShape input = network.InputShape;
        if (input.Rank != 3 || input.Channels != 1 || input.Height != height || input.Width != width)
        {
            throw new FormatException($"{path}: the images are {width}x{height}; the model takes {input}");
        }
    }

    // Pixels become floats the one way the library reads them: byte / 255f.
    private static float[] ToSamples(byte[] pixels) => [.. pixels.Select(p => p / 255f)];
}
