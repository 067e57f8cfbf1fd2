using CnnTrain.Benchmark.Suite;
using CnnTrain.Data;
using CnnTrain.Devices.Multicore;
using CnnTrain.Layers;
using CnnTrain.Tests.Support;
using CnnTrain.Training;

namespace CnnTrain.Tests.Onnx;

/// <summary>The networks the export is checked on, each with samples of its input.</summary>
public static class OnnxNetworks
{
    public const int SampleCount = 37;

    /// <summary>By name, for the test cases.</summary>
    public static Network Create(string name) => name switch
    {
        "study" => Network.CreateStudy(),
        "lenet5" => LeNet5(),
        "trained-bn-dropout" => TrainedWithBatchNormAndDropout(),
        "strided-padded-global" => StridedPaddedGlobal(),
        "flat-input-bn1d" => FlatInput(),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "No such test network."),
    };

    public static float[] Samples(Network network, int seed = 11) => TestData.Uniform(seed, SampleCount * network.InputShape.Size);

    /// <summary>LeNet-5 from the benchmark suite's definition (samples/CnnTrain.Benchmark/networks.json), built as the suite builds it.</summary>
    public static Network LeNet5()
    {
        SuiteSpec suite = SuiteSpec.Load(Path.Combine(AppContext.BaseDirectory, "networks.json"));
        return SuiteNetworks.Create(suite.Networks.Single(n => n.Name == "lenet5"), suite.Seed);
    }

    /// <summary>
    /// Every layer kind but the global pool, trained a few epochs on the Multicore device so that the running statistics
    /// have moved and dropout was active. The sizes are chosen where rounding the output size up (ONNX's ceil_mode 1)
    /// would differ: the stride-2 convolution over 12 + 2 and the 2x2 average pool over 5.
    /// </summary>
    public static Network TrainedWithBatchNormAndDropout()
    {
        var shape = TensorShape.Image(2, 12, 12);
        var network = new Network(
            shape,
            new Conv2D(4, 3, stride: 2, padding: 1), new BatchNorm2D(4), new ReLU(), new MaxPool2D(2, stride: 1),
            new Conv2D(6, 3, padding: 1), new ReLU(), new AvgPool2D(2), new Flatten(),
            new Dense(16), new BatchNorm1D(16, momentum: 0.2, epsilon: 1e-3), new ReLU(), new Dropout(0.5), new Dense(3));
        Train(network, shape, classes: 3);
        return network;
    }

    /// <summary>Stride 2 with padding 2, then padding 1, then a global average pool to the classifier.</summary>
    public static Network StridedPaddedGlobal()
    {
        var network = new Network(
            TensorShape.Image(3, 9, 9),
            new Conv2D(8, 3, stride: 2, padding: 2), new ReLU(), new Conv2D(8, 3, padding: 1), new ReLU(),
            AvgPool2D.Global(), new Flatten(), new Dense(4));
        network.Initialize(3, Initialization.He);
        return network;
    }

    /// <summary>A rank-2 input flattened, and BatchNorm1D over (batch, features), trained.</summary>
    public static Network FlatInput()
    {
        var shape = new TensorShape(4, 5);
        var network = new Network(shape, new Flatten(), new Dense(12), new BatchNorm1D(12), new ReLU(), new Dropout(0.3), new Dense(4));
        Train(network, shape, classes: 4);
        return network;
    }

    private static void Train(Network network, TensorShape shape, int classes)
    {
        network.Initialize(5, Initialization.He);
        using var device = new MulticoreDevice();
        using var trainer = new Trainer(network, device, new TrainerOptions { BatchSize = 8, LearningRate = 0.05f, Seed = 2 });
        trainer.Fit(new Dataset(shape, TestData.Uniform(7, 48 * shape.Size), TestData.Labels(8, 48, classes), classes), epochs: 3);
    }
}
