namespace CnnTrain.Devices.Cuda.Interop;

/// <summary>
/// A kernel (<c>CUfunction</c>) of a loaded <see cref="CudaModule"/>; valid while the module is.
/// Launching queues the kernel on a stream and returns without waiting.
/// </summary>
internal sealed class CudaKernel
{
    private readonly CudaModule _module;
    private readonly nint _function;
    private readonly string _launchOperation;

    internal CudaKernel(CudaModule module, string name, nint function)
    {
        _module = module;
        _function = function;
        Name = name;
        _launchOperation = $"cuLaunchKernel({name})";
    }

    /// <summary>The kernel's name in the module (the <c>extern "C"</c> name).</summary>
    public string Name { get; }

    /// <summary>
    /// Queues the kernel on <paramref name="stream"/>. The stream's context must be current on the calling
    /// thread. Allocates nothing; errors found at launch (bad configuration, bad arguments) throw here,
    /// errors while the kernel runs surface at the next synchronisation.
    /// </summary>
    /// <param name="stream">The stream to queue on.</param>
    /// <param name="grid">Blocks in x, y and z.</param>
    /// <param name="block">Threads per block in x, y and z.</param>
    /// <param name="sharedBytes">Dynamic shared memory per block in bytes.</param>
    /// <param name="arguments">The kernel's arguments, in parameter order.</param>
    /// <exception cref="CudaException">The driver rejected the launch; <see cref="CudaException.Operation"/> names this kernel.</exception>
    public unsafe void Launch(
        CudaStream stream, (uint X, uint Y, uint Z) grid, (uint X, uint Y, uint Z) block, uint sharedBytes,
        scoped ref KernelArguments arguments)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ObjectDisposedException.ThrowIf(_module.IsDisposed, _module);
        nint streamHandle = stream.RawHandle;
        CuResult result;
        fixed (byte* values = arguments.ValueStorage)
        fixed (nint* slots = arguments.SlotStorage)
        {
            arguments.PointSlotsAt((nint)values);
            try
            {
                result = CudaApi.cuLaunchKernel(
                    _function, grid.X, grid.Y, grid.Z, block.X, block.Y, block.Z, sharedBytes, streamHandle,
                    arguments.Count == 0 ? null : slots, null);
            }
            finally
            {
                arguments.RestoreSlotOffsets((nint)values);
            }
        }

        if (result != CuResult.Success)
        {
            CudaCheck.Throw(result, _launchOperation);
        }
    }
}
