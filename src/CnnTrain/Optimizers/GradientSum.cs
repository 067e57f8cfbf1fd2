using System.Runtime.Intrinsics;
using CnnTrain.Numerics;

namespace CnnTrain.Optimizers;

/// <summary>
/// The batch gradient every update starts from (docs/numerics.md, "Sums over the batch"): each chunk's partial is the
/// sum from +0, in ascending order, of its partials; the chunks' partials are the leaves of <see cref="BatchTree"/>.
/// One copy for every optimizer and for the host: the definition (explicit padding) and eight lanes at a time (a stack
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

    /// <summary>
    /// Elements i..i+7, walking the chunks once with a stack of complete subtrees: chunk j joins its left neighbours
    /// once per trailing one bit of j. The subtrees left at the end combine from the smallest up, which is the padded
    /// tree because x + (+0) = x for every x but −0, and a sum from +0 is never −0.
    /// </summary>
    public static Vector256<float> At(float* gradient, long length, BatchPartials partials, long i)
    {
        Vector256<float>* stack = stackalloc Vector256<float>[Levels];
        int chunks = partials.Chunks;
        for (int j = 0; j < chunks; j++)
        {
            Vector256<float> c = Vector256<float>.Zero;
            for (int k = partials.First(j); k < partials.End(j); k++)
            {
                c += Vector256.Load(gradient + (k * length) + i);
            }

            int level = 0;
            for (int carry = j; (carry & 1) != 0; carry >>= 1, level++)
            {
                c = stack[level] + c;
            }

            stack[level] = c;
        }

        int lowest = 0;
        while (((chunks >> lowest) & 1) == 0)
        {
            lowest++;
        }

        Vector256<float> g = stack[lowest];
        for (int level = lowest + 1; level < Levels; level++)
        {
            if (((chunks >> level) & 1) != 0)
            {
                g = stack[level] + g;
            }
        }

        return g;
    }
}
