using System.Reflection;
using CnnTrain.Devices.Cuda.Interop;

namespace CnnTrain.Devices.Cuda;

/// <summary>
/// The library's kernels as one device loads them: the PTX that kernels/build-ptx.sh compiles from each
/// kernels/&lt;module&gt;.cu, embedded in this assembly as "CnnTrain.Kernels.&lt;module&gt;.ptx". Every module is
/// loaded when the device opens, so a driver that rejects the PTX fails there, with the JIT log; a new
/// op family's file is found without being listed anywhere.
/// </summary>
internal sealed class CudaModules : IDisposable
{
    private const string Prefix = "CnnTrain.Kernels.";
    private const string Suffix = ".ptx";

    private readonly Dictionary<string, CudaModule> _modules = new(StringComparer.Ordinal);
    private CudaKernel?[] _kernels = new CudaKernel?[64];

    public CudaModules(CudaContext context)
    {
        try
        {
            foreach (string module in Names)
            {
                _modules[module] = CudaModule.Load(context, Ptx(module));
            }
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>The embedded modules' names, e.g. "convolution".</summary>
    public static IReadOnlyList<string> Names { get; } =
    [
        .. typeof(CudaModules).Assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(Prefix, StringComparison.Ordinal) && n.EndsWith(Suffix, StringComparison.Ordinal))
            .Select(n => n[Prefix.Length..^Suffix.Length])
            .Order(StringComparer.Ordinal),
    ];

    /// <summary>The PTX text of one module, as embedded.</summary>
    public static string Ptx(string module)
    {
        string name = Prefix + module + Suffix;
        using Stream stream = typeof(CudaModules).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"The assembly lacks the embedded PTX resource {name}.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>The kernel <paramref name="name"/> names, from its loaded module (cached after the first call).</summary>
    public CudaKernel Get(CudaKernelName name)
    {
        if (name.Id >= _kernels.Length)
        {
            Array.Resize(ref _kernels, Math.Max(_kernels.Length * 2, name.Id + 1));
        }

        return _kernels[name.Id] ??= _modules.TryGetValue(name.Module, out CudaModule? module)
            ? module.GetKernel(name.Kernel)
            : throw new InvalidOperationException($"No kernel module {name.Module} is embedded (looking for {name}).");
    }

    public void Dispose()
    {
        foreach (CudaModule module in _modules.Values)
        {
            module.Dispose();
        }

        _modules.Clear();
    }
}
