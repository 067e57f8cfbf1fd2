using System.Reflection;
using CnnTrain.Devices.Cuda;
using FluentAssertions;
using NUnit.Framework;

namespace CnnTrain.Tests.Cuda;

/// <summary>
/// Every kernel a launcher names (its static <see cref="CudaKernelName"/> fields) is an entry of the embedded PTX of
/// its module: a misspelt kernel or module fails here, without a GPU, instead of at the first launch on one.
/// </summary>
public class KernelNameTests
{
    public static IEnumerable<TestCaseData> Names() =>
        typeof(CudaKernelName).Assembly.GetTypes()
            .SelectMany(t => t.GetFields(BindingFlags.Static | BindingFlags.NonPublic | BindingFlags.Public))
            .Where(f => f.FieldType == typeof(CudaKernelName))
            .Select(f => (CudaKernelName)f.GetValue(null)!)
            .Select(n => new TestCaseData(n.Module, n.Kernel).SetArgDisplayNames(n.ToString()));

    [TestCaseSource(nameof(Names))]
    public void The_named_kernel_is_in_its_modules_PTX(string module, string kernel)
    {
        CudaModules.Names.Should().Contain(module);
        CudaModules.Ptx(module).Should().Contain($".entry {kernel}(");
    }

    [Test]
    public void Every_launcher_is_found() => Names().Count().Should().BeGreaterThan(20);
}
