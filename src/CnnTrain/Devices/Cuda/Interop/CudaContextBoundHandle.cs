using Microsoft.Win32.SafeHandles;

namespace CnnTrain.Devices.Cuda.Interop;

/// <summary>
/// A handle to a resource that lives in a context. It keeps the context handle alive (a SafeHandle
/// reference) until the resource is freed, and makes the context current while freeing, because the
/// release may run on the finalizer thread, which has no current context.
/// </summary>
internal abstract class CudaContextBoundHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    private CudaContextHandle? _context;

    protected CudaContextBoundHandle()
        : base(ownsHandle: true)
    {
    }

    /// <summary>The owning context; null until a resource is attached.</summary>
    public CudaContextHandle? Context => _context;

    /// <summary>Takes ownership of a resource the driver just created in <paramref name="context"/>.</summary>
    protected void AttachResource(CudaContextHandle context, nint value)
    {
        bool added = false;
        context.DangerousAddRef(ref added);
        _context = context;
        SetHandle(value);
    }

    /// <summary>Frees the resource with its context current, then lets go of the context.</summary>
    protected sealed override bool ReleaseHandle()
    {
        // A handle only becomes valid through AttachResource, so the context is set whenever the runtime calls this.
        var context = _context!;
        try
        {
            using var current = new CurrentContextScope(context.DangerousGetHandle());
            return Free(handle) == CuResult.Success;
        }
        finally
        {
            context.DangerousRelease();
        }
    }

    /// <summary>Frees the resource; the owning context is current.</summary>
    protected abstract CuResult Free(nint value);
}
