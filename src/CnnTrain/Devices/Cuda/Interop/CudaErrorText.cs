using System.Runtime.InteropServices;
using System.Text;

namespace CnnTrain.Devices.Cuda.Interop;

/// <summary>
/// Names and descriptions of <see cref="CuResult"/> codes: the driver's own text when it can be asked,
/// otherwise the C name rebuilt from the enum, so that an error is still named when the library is missing.
/// </summary>
internal static class CudaErrorText
{
    /// <summary>The code's C name, e.g. <c>CUDA_ERROR_NO_DEVICE</c>.</summary>
    public static string Name(CuResult result) =>
        Ask(result, describe: false) ?? FallbackName(result);

    /// <summary>The driver's description of the code, or null when the driver has none or cannot be asked.</summary>
    public static string? Description(CuResult result) => Ask(result, describe: true);

    /// <summary>The C name derived from the enum member: <see cref="CuResult.InvalidPtx"/> gives <c>CUDA_ERROR_INVALID_PTX</c>.</summary>
    public static string FallbackName(CuResult result)
    {
        if (result == CuResult.Success)
        {
            return "CUDA_SUCCESS";
        }

        if (!Enum.IsDefined(result))
        {
            return $"CUDA_ERROR_{(int)result}";
        }

        var pascal = result.ToString();
        var name = new StringBuilder("CUDA_ERROR_", 11 + (2 * pascal.Length));
        for (int i = 0; i < pascal.Length; i++)
        {
            if (i > 0 && char.IsUpper(pascal[i]))
            {
                name.Append('_');
            }

            name.Append(char.ToUpperInvariant(pascal[i]));
        }

        return name.ToString();
    }

    private static string? Ask(CuResult result, bool describe)
    {
        try
        {
            var status = describe
                ? CudaApi.cuGetErrorString(result, out nint text)
                : CudaApi.cuGetErrorName(result, out text);
            return status == CuResult.Success && text != 0 ? Marshal.PtrToStringUTF8(text) : null;
        }
        catch (DllNotFoundException)
        {
            return null;
        }
        catch (EntryPointNotFoundException)
        {
            return null;
        }
    }
}
