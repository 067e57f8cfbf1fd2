using CnnTrain.Devices;
using CnnTrain.Devices.Multicore;
using CnnTrain.Numerics;

namespace CnnTrain;

/// <summary>Prediction with softmax probabilities, on a given device or on the network's own default device.</summary>
public sealed partial class Network : IDisposable
{
    private const int DefaultBatchSize = 256;
    private MulticoreDevice? _defaultDevice;
    private float[] _hostLogits = [];
    private bool _disposed;

    /// <summary>
    /// The class and softmax probabilities of one sample, on the network's default device (a
    /// <see cref="MulticoreDevice"/> created on first use and disposed with the network). The probabilities are
    /// computed on the host with the library's deterministic exp from the logits, so they are the same bits on every
    /// device; repeated calls reuse the network's buffers and allocate nothing new.
    /// </summary>
    /// <param name="sample">One sample of <see cref="InputShape"/>.</param>
    /// <param name="probabilities">Receives <see cref="Classes"/> probabilities that sum to about 1.</param>
    /// <returns>The predicted class: the first maximum of the logits.</returns>
    /// <exception cref="ArgumentException">The sample is not one sample of <see cref="InputShape"/>, or <paramref name="probabilities"/> does not hold <see cref="Classes"/> values.</exception>
    /// <exception cref="ObjectDisposedException">The network was disposed.</exception>
    public int Predict(ReadOnlySpan<float> sample, Span<float> probabilities)
    {
        if (sample.Length != InputShape.Size)
        {
            throw new ArgumentException($"A sample of {InputShape} has {InputShape.Size} values; got {sample.Length}.", nameof(sample));
        }

        Span<int> predicted = stackalloc int[1];
        PredictProbabilities(DefaultDevice(), sample, predicted, probabilities, 1);
        return predicted[0];
    }

    /// <summary>The predicted class of each sample, on the network's default device (see <see cref="Predict(ReadOnlySpan{float}, Span{float})"/>), 256 at a time.</summary>
    /// <exception cref="ObjectDisposedException">The network was disposed.</exception>
    public int[] Predict(ReadOnlySpan<float> samples) => Predict(DefaultDevice(), samples, DefaultBatchSize);

    /// <summary>
    /// The class and softmax probabilities of each sample, on the network's default device (see
    /// <see cref="Predict(ReadOnlySpan{float}, Span{float})"/>), 256 at a time.
    /// </summary>
    /// <exception cref="ObjectDisposedException">The network was disposed.</exception>
    public void PredictProbabilities(ReadOnlySpan<float> samples, Span<int> classes, Span<float> probabilities) =>
        PredictProbabilities(DefaultDevice(), samples, classes, probabilities, DefaultBatchSize);

    /// <summary>
    /// The class (first maximum of the logits) and softmax probabilities of each sample, computed on
    /// <paramref name="device"/>; the probabilities are computed on the host in the loss's order with the library's
    /// deterministic exp, so every device gives the same bits. Nothing is allocated once the network has buffers
    /// for this device and batch size (see <see cref="Forward"/>).
    /// </summary>
    /// <param name="device">The device to run on.</param>
    /// <param name="samples">The samples end to end (count × input size).</param>
    /// <param name="classes">Receives one class per sample.</param>
    /// <param name="probabilities">Receives <see cref="Classes"/> probabilities per sample, end to end.</param>
    /// <param name="batchSize">How many samples go to the device at once.</param>
    /// <exception cref="ArgumentException">The lengths of <paramref name="classes"/> or <paramref name="probabilities"/> do not match the samples.</exception>
    public void PredictProbabilities(IComputeDevice device, ReadOnlySpan<float> samples, Span<int> classes, Span<float> probabilities, int batchSize)
    {
        ArgumentNullException.ThrowIfNull(device);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        int count = SampleCount(samples.Length);
        if (classes.Length != count)
        {
            throw new ArgumentException($"There is room for {classes.Length} classes; there are {count} samples.", nameof(classes));
        }

        if (probabilities.Length != (long)count * Classes)
        {
            throw new ArgumentException($"There is room for {probabilities.Length} probabilities; {count} samples of {Classes} classes need {(long)count * Classes}.", nameof(probabilities));
        }

        if (count == 0)
        {
            return;
        }

        int maxBatch = Math.Min(batchSize, count);
        InferenceSession session = InferenceFor(device, maxBatch);
        if (_hostLogits.Length < maxBatch * Classes)
        {
            _hostLogits = new float[maxBatch * Classes];
        }

        session.Network.UploadParameters();
        for (int start = 0; start < count; start += maxBatch)
        {
            int batch = ForwardBatch(session, samples, start, maxBatch);
            Span<float> logits = _hostLogits.AsSpan(0, batch * Classes);
            device.Download(session.Network.Logits(batch), logits);
            for (int n = 0; n < batch; n++)
            {
                classes[start + n] = DeterministicSoftmax.Run(
                    logits.Slice(n * Classes, Classes), probabilities.Slice((start + n) * Classes, Classes));
            }
        }
    }

    /// <summary>Frees the buffers inference keeps and the default device, if one was created. Calls that pass a device keep working.</summary>
    public void Dispose()
    {
        _disposed = true;
        ReleaseDeviceBuffers();
        _hostLogits = [];
        _defaultDevice?.Dispose();
        _defaultDevice = null;
    }

    private MulticoreDevice DefaultDevice()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _defaultDevice ??= new MulticoreDevice();
    }
}
