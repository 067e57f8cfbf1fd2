using System.Runtime.InteropServices;
using CnnTrain.Ops;
using CnnTrain.Optimizers;
using CnnTrain.Tests.Support;
using FluentAssertions;
using NUnit.Framework;

namespace CnnTrain.Tests.Cuda;

/// <summary>
/// The argument structs passed by value to kernels have one layout on both sides: the C# mirror against the struct
/// parsed from its .cu file, field by field (names, offsets, sizes, float or integer). A field added on one side only,
/// reordered or retyped fails here, without a GPU.
/// </summary>
public class KernelStructLayoutTests
{
    public static IEnumerable<TestCaseData> Mirrors()
    {
        yield return new TestCaseData("convolution", "ConvGeometry", typeof(CudaConvolutionGeometry)).SetArgDisplayNames("ConvGeometry");
        yield return new TestCaseData("sgd", "SgdBatch", typeof(CudaSgdBatch)).SetArgDisplayNames("SgdBatch");
        yield return new TestCaseData("adam", "AdamBatch", typeof(CudaAdamBatch)).SetArgDisplayNames("AdamBatch");
        yield return new TestCaseData("batch_norm", "BatchNormShape", typeof(CudaBatchNormShape)).SetArgDisplayNames("BatchNormShape");
    }

    [TestCaseSource(nameof(Mirrors))]
    public void TheMirrorHasTheKernelsLayout(string module, string cudaName, Type mirror)
    {
        string source = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "kernels", module + ".cu"));
        IReadOnlyList<StructLeaf> cuda = CStructLayout.FromCuda(source, cudaName);
        IReadOnlyList<StructLeaf> clr = CStructLayout.FromClr(mirror);

        cuda.Should().NotBeEmpty();
        clr.Select(l => (CStructLayout.Normalize(l.Name), l.Offset, l.Size, l.IsFloat))
            .Should().Equal(cuda.Select(l => (CStructLayout.Normalize(l.Name), l.Offset, l.Size, l.IsFloat)));
        Marshal.SizeOf(mirror).Should().BeGreaterThanOrEqualTo(cuda[^1].Offset + cuda[^1].Size);
    }

    [Test]
    public void A_drifted_layout_is_caught()
    {
        const string source = "struct Pair { int a; long long b; };";
        CStructLayout.FromCuda(source, "Pair").Select(l => (l.Name, l.Offset)).Should().Equal(("a", 0), ("b", 8));
        CStructLayout.FromClr(typeof(Drifted)).Select(l => (l.Name, l.Offset)).Should().Equal(("A", 0), ("B", 4));
    }

    [StructLayout(LayoutKind.Sequential, Pack = 4)]
    private struct Drifted
    {
        public int A;
        public long B;
    }
}
