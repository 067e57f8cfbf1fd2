// A few training steps through the CnnTrain package, as an application would write them. Exits non-zero
// when the package is broken: a missing type or dependency, missing kernels, or devices that disagree.
using System.Reflection;
using CnnTrain;
using CnnTrain.Data;
using CnnTrain.Devices.Cuda;
using CnnTrain.Devices.Multicore;
using CnnTrain.Devices.Sequential;
using CnnTrain.Training;

string version = typeof(Network).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";
Console.WriteLine($"CnnTrain {version} from {typeof(Network).Assembly.Location}");

(Dataset train, Dataset test) = Dataset.LoadMnist(Path.Combine(AppContext.BaseDirectory, "data"));
train = train.Slice(0, 300);
test = test.Slice(0, 100);

string Train(CnnTrain.Devices.IComputeDevice device)
{
    Network network = Network.CreateStudy(filters: 8, initialization: Initialization.He, seed: 3);
    using var trainer = new Trainer(network, device, new TrainerOptions { BatchSize = 50, LearningRate = 0.05f });
    EpochMetrics epoch = trainer.FitEpochs(train, test, epochs: 1).Single();

    // The ONNX export's protobuf packages come with CnnTrain's: a broken dependency fails here.
    using var onnx = new MemoryStream();
    network.ExportOnnx(onnx);
    Console.WriteLine(
        $"{device.Name}: loss {epoch.MeanLoss:F4}, test accuracy {epoch.Test!.Accuracy:P1}, digest {network.GetParameterDigest()[..16]}, ONNX {onnx.Length} bytes");
    return network.GetParameterDigest();
}

using var sequential = new SequentialDevice();
using var multicore = new MulticoreDevice(2);
bool agree = Train(sequential) == Train(multicore);

// The kernels ship inside the package: without a GPU the device explains itself, with one it trains too.
if (CudaDevice.IsAvailable(out string reason))
{
    using var cuda = new CudaDevice();
    agree &= Train(cuda) == Train(sequential);
}
else
{
    Console.WriteLine($"cuda: not available here ({reason})");
}

Console.WriteLine(agree ? "devices agree bit for bit" : "DEVICES DISAGREE");
return agree ? 0 : 1;
