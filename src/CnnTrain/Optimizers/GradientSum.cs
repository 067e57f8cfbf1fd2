using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using CnnTrain.Numerics;

namespace CnnTrain.Optimizers;

/// <summary>
/// The batch gradient every update starts from (docs/numerics.md, "Sums over the batch"): each chunk's partial is the
/// sum from +0, in ascending order, of its partials; the chunks' partials are the leaves of <see cref="BatchTree"/>.
/// One copy for every optimizer and for the host: the definition (explicit padding) and 64 elements at a time (a stack
/// of the tree's levels). kernels/common/batch_tree.cuh is its CUDA twin.
/// </summary>
internal static unsafe class GradientSum
{
    /// <summary>The most levels the stack needs: a tensor has at most int.MaxValue partials, so fewer than 2^31 chunks.</summary>
    private const int Levels = 32;

    /// <summary>A tree of the width <see cref="Reference"/> needs for <paramref name="partials"/>.</summary>
    public static float[] Tree(BatchPartials partials) => new float[BatchTree.Width(partials.Chunks)];

    /// <summary>The definition, for element <paramref name="i"/>; <paramref name="tree"/> is scratch from <see cref="Tree"/>.</summary>
    public static float Reference(ReadOnlySpan<float> gradient, int length, BatchPartials partials, int i, Span<float> tree)
    {
        int chunks = partials.Chunks;
        for (int j = 0; j < chunks; j++)
        {
            float c = 0f;
            for (int k = partials.First(j); k < partials.End(j); k++)
            {
                c += gradient[(int)(((long)k * length) + i)];
            }

            tree[j] = c;
        }

        return BatchTree.Reduce(tree, chunks);
    }

    /// <summary>The most elements <see cref="Block"/> reduces at once.</summary>
    public const int BlockWidth = 64;

    /// <summary>The scratch <see cref="Block"/> needs: a stack of subtrees, one level per bit of the chunk count.</summary>
    public const int StackFloats = Levels * BlockWidth;

    /// <summary>
    /// Elements [i, i + 8 <paramref name="vectors"/>) (at most <see cref="BlockWidth"/>), eight per lane vector, into
    /// <paramref name="result"/>: the chunks are walked once with a stack of complete subtrees, chunk j joining its left
    /// neighbours once per trailing one bit of j. The subtrees left at the end combine from the smallest up, which is the
    /// padded tree because x + (+0) = x for every x but −0, and a sum from +0 is never −0. <paramref name="stack"/> holds
    /// <see cref="StackFloats"/> floats.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Block(float* gradient, long length, BatchPartials partials, long i, int vectors, float* stack, float* result)
    {
        const int Width = 8;
        int chunks = partials.Chunks;
        int floats = vectors * Width;
        for (int j = 0; j < chunks; j++)
        {
            int level = 0;
            while (((j >> level) & 1) != 0)
            {
                level++;
            }

            // The chunk's sum from +0 joins the levels under the one where it comes to rest. The block's rows of the chunk
            // (at most 16 x 256 bytes) stay in L1 while its vectors are walked one at a time.
            float* c = stack + (level * BlockWidth);
            for (int v = 0; v < floats; v += Width)
            {
                Vector256<float> sum = Vector256<float>.Zero;
                float* row = gradient + ((long)partials.First(j) * length) + i + v;
                for (int k = partials.First(j); k < partials.End(j); k++, row += length)
                {
                    sum += Vector256.Load(row);
                }

                for (int l = 0; l < level; l++)
                {
                    sum = Vector256.Load(stack + (l * BlockWidth) + v) + sum;
                }

                Vector256.Store(sum, c + v);
            }
        }

        int lowest = 0;
        while (((chunks >> lowest) & 1) == 0)
        {
            lowest++;
        }

        int top = Levels - BitOperations.LeadingZeroCount((uint)chunks);
        for (int v = 0; v < floats; v += Width)
        {
            Vector256<float> g = Vector256.Load(stack + (lowest * BlockWidth) + v);
            for (int level = lowest + 1; level < top; level++)
            {
                if (((chunks >> level) & 1) != 0)
                {
                    g = Vector256.Load(stack + (level * BlockWidth) + v) + g;
                }
            }

            Vector256.Store(g, result + v);
        }
    }
}
