using System.CommandLine;
using CnnTrain.Data;
using CnnTrain.Devices;
using CnnTrain.Mnist.Arguments;

namespace CnnTrain.Mnist.Prediction;

/// <summary>
/// <c>predict --model FILE (--idx IMAGES | --image FILE...) [--device NAME] [--threads N]</c>: loads a saved
/// model and prints one predicted label per image, "index label" for IDX and "file label" for image files.
/// </summary>
internal static class PredictCommand
{
    public const string Description =
        "Loads a model saved with --save and prints the predicted class of each image, one per line: \"index label\" for an " +
        "IDX image file (raw or .gz), \"file label\" for image files (PNG, JPEG, BMP, TGA, GIF, PSD or HDR, as " +
        "Dataset.LoadImage decodes them; colour turns gray, transparency black; white digits on black, as in MNIST; the " +
        "size must match the model's input).";

    /// <summary>The <c>predict</c> subcommand, printing to <paramref name="console"/>.</summary>
    public static Command Create(AppConsole console)
    {
        Option<string> model = OptionKinds.Valued("--model", "FILE", "The model, saved with --save", OptionValues.Text);
        Option<string> idx = OptionKinds.Valued("--idx", "IMAGES", "An IDX image file (raw or .gz)", OptionValues.Text);
        var png = new Option<string[]>("--image", "--png")
        {
            HelpName = "FILE",
            Description = "Image files, one image each (--png is the older name)",
            Arity = ArgumentArity.OneOrMore,
            AllowMultipleArgumentsPerToken = true,
        };
        OptionSetting[] device =
        [
            OptionSetting.Of(TrainCommand.DeviceOption(), (o, v) => o with { Device = v }),
            OptionSetting.Of(TrainCommand.ThreadsOption(), (o, v) => o with { Threads = v }),
        ];
        var command = new Command("predict", Description) { model, idx, png, device[0].Option, device[1].Option };
        command.SetAction(result =>
        {
            string? modelPath = result.GetValue(model);
            string? idxPath = result.GetValue(idx);
            List<string> pngs = [.. result.GetValue(png) ?? []];
            if (modelPath is null)
            {
                throw new OptionException("predict needs --model FILE");
            }

            if ((idxPath is null) == (pngs.Count == 0))
            {
                throw new OptionException("predict needs either --idx IMAGES or --image FILE..., not both and not neither");
            }

            Options deviceOptions = device.Aggregate(new Options(), (o, setting) => setting.Apply(o, result));
            deviceOptions.Validate();
            return Run(modelPath, idxPath, pngs, deviceOptions, console);
        });
        return command;
    }

    private static int Run(string model, string? idx, List<string> pngs, Options deviceOptions, AppConsole console)
    {
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
