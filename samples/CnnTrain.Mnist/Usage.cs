namespace CnnTrain.Mnist;

/// <summary>The text <c>--help</c> prints.</summary>
internal static class Usage
{
    public const string Text = """
        Usage: CnnTrain.Mnist [options]
               CnnTrain.Mnist predict --model FILE (--idx IMAGES | --png FILE...)   (see predict --help)

        Trains the study's CNN, Conv2D(F, KxK) -> ReLU -> MaxPool2D(2x2) -> Flatten -> Dense(classes), on MNIST-format,
        CIFAR-10 or image-folder data and prints the SHA-256 digest of the final parameters: equal digests mean
        bit-identical training.

        Options (--name value or --name=value):
          --device NAME      sequential, multicore or cuda (default multicore)
          --threads N        worker threads of the multicore device (default: one per processor)
          --filters F        convolution filters (default 32)
          --kernel K         convolution kernel size (default 3)
          --batch-size B     samples per SGD step (default 100)
          --epochs E         passes over the training set (default 3)
          --lr X             learning rate (default 0.05)
          --momentum X       SGD momentum in [0, 1) (default 0.9)
          --schedule S       learning-rate schedule: constant, step:EVERY:GAMMA (multiply by GAMMA every
                             EVERY epochs) or cosine[:MIN] (anneal to MIN over --epochs) (default constant)
          --weight-decay X   L2 weight decay, at least 0 (default 0)
          --patience N       stop when the validation loss (with --validation; else the test loss) has not
                             improved for N epochs (default: never)
          --validation X     hold out the share X in (0, 1) of the training set, split with --seed, and report
                             its loss and accuracy every epoch (default: none)
          --augment          random crops (4 pixels of padding) and horizontal flips of the training images,
                             drawn from --seed every epoch (suits natural images more than digits)
          --seed S           seeds the initial weights and the shuffles (default 1)
          --init NAME        he, or study for the original normal x 0.1 (default he)
          --data DIR         folder with train-images-idx3-ubyte[.gz], train-labels-idx1-ubyte[.gz],
                             t10k-images-idx3-ubyte[.gz] and t10k-labels-idx1-ubyte[.gz], as MNIST and
                             Fashion-MNIST ship them (default: the 8004/1996-digit MNIST subset next to the app)
          --data-format F    idx (the default), cifar10 (DIR holds data_batch_1..5.bin and test_batch.bin, raw
                             or .gz) or folder (DIR/train and DIR/test, one subfolder per class of PNG, JPEG or
                             BMP images of one size)
          --limit N          use only the first N training and the first N test samples (for smoke runs)
          --report FILE      write the settings, per-epoch metrics, test confusion matrix and digest as
                             JSON to FILE
          --plot FILE        write a PNG chart of loss and accuracy (train and test) per epoch to FILE
          --confusion        print the test set's confusion matrix (rows: true label, columns: predicted)
          --save FILE        save the trained network to FILE at the end (for predict)
          --checkpoint FILE  save a checkpoint to FILE after every epoch
          --resume FILE      continue from a checkpoint up to --epochs in all; the checkpoint fixes the
                             network, batch size, learning rate and schedule, momentum, weight decay, seed,
                             validation split and augmentation
          --quiet            no progress bar
          -h, --help         show this text

        Exit codes: 0 done, 1 failed, 2 bad command line, 3 training diverged (a loss or parameter that is not
        finite; the model and checkpoint keep the last good epoch), 130 cancelled with Ctrl+C (the report still
        covers the epochs completed).

        """;
}
