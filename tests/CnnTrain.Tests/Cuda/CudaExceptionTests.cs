using CnnTrain.Devices.Cuda;
using CnnTrain.Devices.Cuda.Interop;
using FluentAssertions;
using NUnit.Framework;

namespace CnnTrain.Tests.Cuda;

public class CudaExceptionTests
{
    [Test]
    public void Message_names_the_operation_the_error_and_its_description()
    {
        var e = new CudaException("cuMemAlloc_v2", 2, "CUDA_ERROR_OUT_OF_MEMORY", "out of memory", null);

        e.Message.Should().Be("cuMemAlloc_v2 failed: CUDA_ERROR_OUT_OF_MEMORY (out of memory).");
        e.ErrorCode.Should().Be(2);
        e.ErrorName.Should().Be("CUDA_ERROR_OUT_OF_MEMORY");
        e.Operation.Should().Be("cuMemAlloc_v2");
        e.JitLog.Should().BeNull();
    }

    [Test]
    public void Message_carries_the_jit_log()
    {
        const string Log = "ptxas application ptx input, line 7; fatal   : Parsing error near 'not': syntax error\n";
        var e = new CudaException("cuModuleLoadDataEx", 218, "CUDA_ERROR_INVALID_PTX", "a PTX JIT compilation failed", Log);

        e.Message.Should().Be(
            "cuModuleLoadDataEx failed: CUDA_ERROR_INVALID_PTX (a PTX JIT compilation failed). " +
            "JIT log: ptxas application ptx input, line 7; fatal   : Parsing error near 'not': syntax error");
        e.JitLog.Should().Be(Log);
    }

    [Test]
    public void Message_omits_a_missing_description()
    {
        var e = new CudaException("cuLaunchKernel(conv2d_forward)", 719, "CUDA_ERROR_LAUNCH_FAILED", null, "  ");

        e.Message.Should().Be("cuLaunchKernel(conv2d_forward) failed: CUDA_ERROR_LAUNCH_FAILED.");
        e.JitLog.Should().BeNull();
    }

    [Test]
    public void Standard_constructors_report_an_unknown_error()
    {
        var inner = new InvalidOperationException("inner");
        var withInner = new CudaException("outer", inner);
        var plain = new CudaException();

        withInner.InnerException.Should().BeSameAs(inner);
        withInner.Message.Should().Be("outer");
        withInner.ErrorName.Should().Be("CUDA_ERROR_UNKNOWN");
        plain.ErrorCode.Should().Be(999);
        plain.Operation.Should().NotBeNullOrEmpty();
        new CudaException("message").Message.Should().Be("message");
    }

    [Test]
    public void Check_throws_for_a_failure_and_names_the_error()
    {
        Action check = () => CudaCheck.Check(CuResult.NoDevice, "cuInit");

        var e = check.Should().Throw<CudaException>().Which;
        e.ErrorCode.Should().Be(100);
        e.ErrorName.Should().Be("CUDA_ERROR_NO_DEVICE");
        e.Operation.Should().Be("cuInit");
        e.Message.Should().StartWith("cuInit failed: CUDA_ERROR_NO_DEVICE");
    }

    [Test]
    public void Check_passes_success() =>
        FluentActions.Invoking(() => CudaCheck.Check(CuResult.Success, "cuInit")).Should().NotThrow();

    // Codes as numbers: the enum is internal, and public test methods cannot take it.
    [TestCase(0, "CUDA_SUCCESS")]
    [TestCase(100, "CUDA_ERROR_NO_DEVICE")]
    [TestCase(218, "CUDA_ERROR_INVALID_PTX")]
    [TestCase(222, "CUDA_ERROR_UNSUPPORTED_PTX_VERSION")]
    [TestCase(908, "CUDA_ERROR_STREAM_CAPTURE_WRONG_THREAD")]
    [TestCase(12345, "CUDA_ERROR_12345")]
    public void Fallback_names_follow_the_c_names(int code, string name) =>
        CudaErrorText.FallbackName((CuResult)code).Should().Be(name);

    [Test]
    public void Enum_values_match_the_driver_names()
    {
        if (CudaErrorText.Description(CuResult.NoDevice) is null)
        {
            Assert.Ignore($"Needs the NVIDIA driver library ({CudaLibraryResolver.DriverLibraryFileName}) to ask for names.");
        }

        foreach (var result in Enum.GetValues<CuResult>())
        {
            CudaErrorText.Name(result).Should().Be(CudaErrorText.FallbackName(result), $"code {(int)result}");
        }
    }
}
