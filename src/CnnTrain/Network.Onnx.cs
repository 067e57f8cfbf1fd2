using CnnTrain.Onnx;
using CnnTrain.Persistence;

namespace CnnTrain;

public sealed partial class Network
{
    /// <summary>
    /// Writes the network to <paramref name="path"/> as an ONNX model (opset 17) in evaluation form, for ONNX Runtime,
    /// ML.NET and other ONNX tools: input "input" (batch, <see cref="InputShape"/>), outputs "logits" and
    /// "probabilities" (batch, <see cref="Classes"/>); dropout is the identity and batch normalisation uses its running
    /// statistics (docs/onnx.md). The file is replaced atomically: a failure leaves any existing file untouched.
    /// </summary>
    /// <remarks>
    /// ONNX runtimes do not follow the library's canonical orders of operations, so their outputs agree with
    /// <see cref="Forward"/> to about 1e-5, not bit for bit.
    /// </remarks>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty.</exception>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="IOException">The file cannot be written.</exception>
    /// <exception cref="InvalidOperationException">A parameter or running statistic is NaN or infinite (training diverged), or the tensors pass the 2 GiB one ONNX file holds; no file is written.</exception>
    public void ExportOnnx(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        AtomicFile.Write(path, OnnxExport.Serialize(this));
    }

    /// <summary>Writes the ONNX model that <see cref="ExportOnnx(string)"/> writes to <paramref name="stream"/>.</summary>
    /// <exception cref="InvalidOperationException">A parameter or running statistic is NaN or infinite, or the model is too large; nothing is written.</exception>
    public void ExportOnnx(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        stream.Write(OnnxExport.Serialize(this));
    }
}
