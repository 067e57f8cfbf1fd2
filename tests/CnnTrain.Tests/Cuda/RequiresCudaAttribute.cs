using NUnit.Framework;
using NUnit.Framework.Interfaces;
using NUnit.Framework.Internal;

namespace CnnTrain.Tests.Cuda;

/// <summary>
/// Marks a test or fixture that needs a CUDA device, by the category <see cref="Category"/>. Where there is none the
/// test app leaves the category out of the run (Runner/RunDefaults.cs), since 425 results skipped one by one made
/// `dotnet test` print about 2,500 lines, and <see cref="CudaTestsWithoutAGpu"/> reports them all as one skipped
/// test that gives their number and the reason. Selected by a filter, such a test runs and is skipped with the
/// reason, as before.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method, Inherited = true)]
public sealed class RequiresCudaAttribute() : CategoryAttribute(Category)
{
    /// <summary>The category of the tests that need a CUDA device.</summary>
    public const string Category = "Cuda";

    /// <summary>Whether <paramref name="test"/> or a suite it belongs to carries the mark.</summary>
    internal static bool Marks(ITest? test)
    {
        for (; test is not null; test = test.Parent)
        {
            if (test.Properties[PropertyNames.Category].Contains(Category))
            {
                return true;
            }
        }

        return false;
    }
}
