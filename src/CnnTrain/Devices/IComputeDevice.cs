namespace CnnTrain.Devices;

/// <summary>
/// The op-level contract every device implements: memory, recorded programs, and the operations a
/// training step is made of. Operations are queued in call order and read or write only the slices they
/// are given; a device may run them asynchronously, so results are observed through
/// <see cref="Download{T}"/>, which waits for the queued work. Every operation follows the canonical
/// arithmetic of docs/numerics.md, so that all devices produce the same bits.
/// </summary>
/// <remarks>
/// Shapes are given per sample by the descriptors; each batched slice holds <c>batch</c> samples end to end.
/// An optional output is skipped when its slice is empty (<c>default</c>).
/// </remarks>
public interface IComputeDevice : IDisposable
{
    /// <summary>A short description of the device, e.g. "multicore (8 threads, AVX-512)".</summary>
    string Name { get; }

    /// <summary>Bytes held by this device's buffers that are not yet disposed.</summary>
    long AllocatedBytes { get; }

    /// <summary>The most bytes this device's buffers held at once since it was created or <see cref="ResetPeakAllocatedBytes"/> was last called.</summary>
    long PeakAllocatedBytes { get; }

    /// <summary>Starts a new peak: <see cref="PeakAllocatedBytes"/> becomes <see cref="AllocatedBytes"/>.</summary>
    void ResetPeakAllocatedBytes();

    /// <summary>Allocates <paramref name="length"/> zero-filled elements on the device.</summary>
    DeviceBuffer<T> Allocate<T>(int length)
        where T : unmanaged;

    /// <summary>Copies host data into a device slice of the same length.</summary>
    void Upload<T>(ReadOnlySpan<T> source, DeviceSlice<T> destination)
        where T : unmanaged;

    /// <summary>Waits for queued work, then copies a device slice into host memory of the same length.</summary>
    void Download<T>(DeviceSlice<T> source, Span<T> destination)
        where T : unmanaged;

    /// <summary>Copies between two device slices of the same length.</summary>
    void Copy<T>(DeviceSlice<T> source, DeviceSlice<T> destination)
        where T : unmanaged;

    /// <summary>Sets every element of <paramref name="destination"/> to <paramref name="value"/>.</summary>
    void Fill(float value, DeviceSlice<float> destination);

    /// <summary>
    /// Records the operations that <paramref name="work"/> queues, without running them, into a program that
    /// replays them. Only operations may be queued while recording: uploads, downloads and waits throw.
    /// </summary>
    IDeviceProgram Record(Action work);

    /// <summary>Places a marker after the work queued so far.</summary>
    IDeviceMarker Mark();

    /// <summary>Blocks until all queued work has finished.</summary>
    void Synchronize();

    /// <summary>Copies rows: <c>destination[i] = source[rows[i]]</c>, each row <paramref name="rowLength"/> elements.</summary>
    void Gather<T>(DeviceSlice<T> source, int rowLength, DeviceSlice<int> rows, DeviceSlice<T> destination)
        where T : unmanaged;

    /// <summary>
    /// The forward pass of a convolution block: convolution plus bias, activation, and max pool when the
    /// descriptor has one. For a pooled block, <paramref name="poolIndices"/> receives, per output element,
    /// the position (within its channel plane) of the convolution output that won the window.
    /// </summary>
    void Convolution2DForward(
        in Convolution2DDescriptor descriptor, int batch, DeviceSlice<float> input, DeviceSlice<float> weights,
        DeviceSlice<float> bias, DeviceSlice<float> output, DeviceSlice<int> poolIndices);

    /// <summary>
    /// The backward pass of a convolution block. Given the gradient of the loss with respect to the block's
    /// output, writes per-sample partial gradients of the weights (batch × F×C×K×K) and of the bias
    /// (batch × F), and, when <paramref name="inputGradient"/> is not empty, the gradient with respect to the input.
    /// </summary>
    void Convolution2DBackward(
        in Convolution2DDescriptor descriptor, int batch, DeviceSlice<float> input, DeviceSlice<float> weights,
        DeviceSlice<float> output, DeviceSlice<int> poolIndices, DeviceSlice<float> outputGradient,
        DeviceSlice<float> weightPartials, DeviceSlice<float> biasPartials, DeviceSlice<float> inputGradient);

    /// <summary>Standalone ReLU: <c>output = input &gt; 0 ? input : +0</c>.</summary>
    void ReluForward(DeviceSlice<float> input, DeviceSlice<float> output);

    /// <summary>Standalone ReLU backward: <c>inputGradient = output &gt; 0 ? outputGradient : +0</c>.</summary>
    void ReluBackward(DeviceSlice<float> output, DeviceSlice<float> outputGradient, DeviceSlice<float> inputGradient);

    /// <summary>Standalone max pool; <paramref name="indices"/> receives each window's winning position within its plane.</summary>
    void MaxPool2DForward(in Pool2DDescriptor descriptor, int batch, DeviceSlice<float> input, DeviceSlice<float> output, DeviceSlice<int> indices);

    /// <summary>Standalone max pool backward: routes each output gradient to the position that won its window.</summary>
    void MaxPool2DBackward(in Pool2DDescriptor descriptor, int batch, DeviceSlice<float> outputGradient, DeviceSlice<int> indices, DeviceSlice<float> inputGradient);

    /// <summary>The forward pass of a dense block: <c>output = act(W input + b)</c>.</summary>
    void DenseForward(
        in DenseDescriptor descriptor, int batch, DeviceSlice<float> input, DeviceSlice<float> weights,
        DeviceSlice<float> bias, DeviceSlice<float> output);

    /// <summary>
    /// The backward pass of a dense block: the weight and bias gradients summed over the batch, and, when
    /// <paramref name="inputGradient"/> is not empty, the gradient with respect to the input.
    /// </summary>
    void DenseBackward(
        in DenseDescriptor descriptor, int batch, DeviceSlice<float> input, DeviceSlice<float> weights,
        DeviceSlice<float> output, DeviceSlice<float> outputGradient, DeviceSlice<float> weightGradient,
        DeviceSlice<float> biasGradient, DeviceSlice<float> inputGradient);

    /// <summary>
    /// Softmax cross-entropy per sample: writes each sample's loss and predicted class (first maximum) and,
    /// when <paramref name="logitGradient"/> is not empty, the gradient of the batch-mean loss with respect to the logits.
    /// With an empty <paramref name="labels"/> slice only predictions are written.
    /// </summary>
    void SoftmaxCrossEntropy(
        int batch, int classes, DeviceSlice<float> logits, DeviceSlice<int> labels, DeviceSlice<float> losses,
        DeviceSlice<int> predictions, DeviceSlice<float> logitGradient);

    /// <summary>
    /// One SGD step with momentum and weight decay for each tensor: <c>g += λw; v = μv + g; w -= ηv</c>,
    /// with η read from <paramref name="learningRate"/> (one element) when the step runs.
    /// </summary>
    void SgdUpdate(ReadOnlySpan<SgdTensor> tensors, DeviceSlice<float> learningRate, float momentum, float weightDecay);
}
