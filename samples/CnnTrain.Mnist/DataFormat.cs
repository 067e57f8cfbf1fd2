namespace CnnTrain.Mnist;

/// <summary>The layouts <c>--data-format</c> reads from <c>--data DIR</c>.</summary>
internal enum DataFormat
{
    /// <summary>MNIST's IDX files (the default, and the bundled set).</summary>
    Idx,

    /// <summary>The CIFAR-10 binary distribution: data_batch_1..5.bin and test_batch.bin.</summary>
    Cifar10,

    /// <summary>DIR/train and DIR/test, each one subfolder per class of PNG, JPEG or BMP images.</summary>
    Folder,
}
