using FluentAssertions;
using NUnit.Framework;
using NUnit.Framework.Interfaces;
using NUnit.Framework.Internal;

namespace CnnTrain.Tests.Cuda;

/// <summary>The one result that stands for every <see cref="RequiresCudaAttribute"/> test where there is no GPU.</summary>
public class CudaTestsWithoutAGpu
{
    [Test]
    public void Tests_that_need_a_CUDA_device()
    {
        ITest root = TestExecutionContext.CurrentContext.CurrentTest;
        while (root.Parent is not null)
        {
            root = root.Parent;
        }

        int marked = Leaves(root).Count(RequiresCudaAttribute.Marks);
        marked.Should().BePositive("the CUDA fixtures carry [RequiresCuda]");
        if (CudaTestEnvironment.Unavailable is string reason)
        {
            Assert.Ignore($"{marked} tests not run. {reason}");
        }
    }

    private static IEnumerable<ITest> Leaves(ITest test) => test.IsSuite ? test.Tests.SelectMany(Leaves) : [test];
}
