namespace CnnTrain.Devices.Cuda;

/// <summary>
/// A kernel of one of kernels/*.cu, named once (as a static field) by the launcher that uses it. Each device
/// caches the function under <see cref="Id"/>, so a launch costs an array read, not a lookup by name.
/// </summary>
internal sealed class CudaKernelName
{
    private static int s_count;

    /// <summary>Names <paramref name="kernel"/> (its <c>extern "C"</c> name) in kernels/<paramref name="module"/>.cu.</summary>
    public CudaKernelName(string module, string kernel)
    {
        Module = module;
        Kernel = kernel;
        Id = Interlocked.Increment(ref s_count) - 1;
    }

    /// <summary>The file's name without extension, e.g. "convolution".</summary>
    public string Module { get; }

    /// <summary>The kernel's name.</summary>
    public string Kernel { get; }

    /// <summary>A small number unique to this name in the process.</summary>
    public int Id { get; }

    /// <inheritdoc />
    public override string ToString() => $"{Module}.cu:{Kernel}";
}
