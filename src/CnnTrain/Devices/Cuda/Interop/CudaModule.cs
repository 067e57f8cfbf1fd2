using System.Text;

namespace CnnTrain.Devices.Cuda.Interop;

/// <summary>
/// A module loaded from PTX (compiled by the driver's JIT) or from a cubin or fatbin image. A rejected
/// image throws a <see cref="CudaException"/> whose <see cref="CudaException.JitLog"/> holds the
/// compiler's errors.
/// </summary>
internal sealed class CudaModule : IDisposable
{
    private const int LogBytes = 16 * 1024;
    private const int OptionCount = 5;

    private readonly CudaModuleHandle _handle;

    private CudaModule(CudaModuleHandle handle, string infoLog)
    {
        _handle = handle;
        InfoLog = infoLog;
    }

    /// <summary>The JIT compiler's informational log (verbose: registers and spills per kernel); empty for binaries.</summary>
    public string InfoLog { get; }

    /// <summary>Whether <see cref="Dispose"/> has unloaded the module.</summary>
    public bool IsDisposed => _handle.IsClosed;

    /// <summary>Loads PTX text.</summary>
    public static CudaModule Load(CudaContext context, string ptx)
    {
        ArgumentException.ThrowIfNullOrEmpty(ptx);
        var image = new byte[Encoding.UTF8.GetByteCount(ptx) + 1];
        Encoding.UTF8.GetBytes(ptx, image);
        return Load(context, image);
    }

    /// <summary>Loads a PTX, cubin or fatbin image; PTX without a terminating NUL byte gets one appended.</summary>
    public static unsafe CudaModule Load(CudaContext context, ReadOnlySpan<byte> image)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (image.IsEmpty)
        {
            throw new ArgumentException("The module image is empty.", nameof(image));
        }

        // The driver reads PTX up to its NUL; binary images carry their own size, so a trailing NUL is harmless.
        if (image[^1] != 0)
        {
            var terminated = new byte[image.Length + 1];
            image.CopyTo(terminated);
            image = terminated;
        }

        var errorLog = new byte[LogBytes];
        var infoLog = new byte[LogBytes];
        var handle = new CudaModuleHandle();
        context.MakeCurrent();
        CuResult result;
        nint module;
        fixed (byte* imageBytes = image, errorBytes = errorLog, infoBytes = infoLog)
        {
            CuJitOption* options = stackalloc CuJitOption[OptionCount];
            nint* values = stackalloc nint[OptionCount];
            options[0] = CuJitOption.ErrorLogBuffer;
            values[0] = (nint)errorBytes;
            options[1] = CuJitOption.ErrorLogBufferSizeBytes;
            values[1] = LogBytes;
            options[2] = CuJitOption.InfoLogBuffer;
            values[2] = (nint)infoBytes;
            options[3] = CuJitOption.InfoLogBufferSizeBytes;
            values[3] = LogBytes;
            options[4] = CuJitOption.LogVerbose;
            values[4] = 1;
            result = CudaApi.cuModuleLoadDataEx(out module, imageBytes, OptionCount, options, values);
        }

        if (result != CuResult.Success)
        {
            CudaCheck.Throw(result, "cuModuleLoadDataEx", Decode(errorLog));
        }

        handle.Attach(context.Handle, module);
        return new CudaModule(handle, Decode(infoLog));
    }

    /// <summary>Looks up a kernel by its <c>extern "C"</c> name.</summary>
    /// <exception cref="CudaException">The module has no such kernel (<c>CUDA_ERROR_NOT_FOUND</c>).</exception>
    public unsafe CudaKernel GetKernel(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        var utf8 = new byte[Encoding.UTF8.GetByteCount(name) + 1];
        Encoding.UTF8.GetBytes(name, utf8);
        CuResult result;
        nint function;
        fixed (byte* namePointer = utf8)
        {
            result = CudaApi.cuModuleGetFunction(out function, _handle.DangerousGetHandle(), namePointer);
        }

        if (result != CuResult.Success)
        {
            CudaCheck.Throw(result, $"cuModuleGetFunction({name})");
        }

        return new CudaKernel(this, name, function);
    }

    /// <summary>Unloads the module; its kernels can no longer be launched.</summary>
    public void Dispose() => _handle.Dispose();

    // The driver writes a NUL-terminated string; the buffers start zeroed, so the first NUL ends the log.
    private static string Decode(byte[] log)
    {
        int length = Array.IndexOf(log, (byte)0);
        return Encoding.UTF8.GetString(log, 0, length < 0 ? log.Length : length).Trim();
    }
}
