using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace CnnTrain.Ops;

/// <summary>
/// The one kernel behind every Multicore convolution path: C[i, j] = fma chain from +0 over k ascending of
/// A[i, k] · B[k, j]. Each lane of a vector is a different column j, so each lane runs exactly one chain in
/// the canonical order, and the vector width changes no bit. A register block is 8 rows × 2 vectors (16 chains
/// in flight) with 512-bit vectors, 4 × 2 with 256-bit ones (AVX2 has 16 registers); B's columns are padded to
/// whole blocks by the caller (padding lanes compute values that are never read), and a last partial row block
/// repeats its last row without storing it.
/// </summary>
internal static unsafe class ConvolutionGemm
{

    /// <summary>Floats per vector: 16 where 512-bit vectors are accelerated, else 8.</summary>
    public static int Lanes => Vector512.IsHardwareAccelerated ? 16 : 8;

    /// <summary>Columns of one register block; B and C rows hold a multiple of it.</summary>
    public static int ColumnBlock => 2 * Lanes;

    /// <summary><paramref name="columns"/> rounded up to whole register blocks.</summary>
    public static int PaddedColumns(int columns) => (columns + ColumnBlock - 1) / ColumnBlock * ColumnBlock;

    /// <summary>The multiply-adds the kernel issues for a product of this shape (per unit of depth), padding included.</summary>
    public static long Work(int rows, int columns) => (long)((rows + RowBlock - 1) / RowBlock * RowBlock) * PaddedColumns(columns);

    /// <summary>Rows of a register block: 8 × 2 vectors (16 accumulators) where 512-bit vectors bring 32 registers, else 4 × 2.</summary>
    public static int RowBlock => Vector512.IsHardwareAccelerated ? Lanes512.Rows : Lanes256.Rows;

    /// <summary>
    /// C = A·B as above. A[i, k] is at <c>a + aRows[i] + aColumns[k]</c>; B[k, j] at <c>b + bRows[k] + j</c>
    /// with <paramref name="columns"/> a multiple of <see cref="ColumnBlock"/>; C[i, j] goes to <c>c + i·cRow + j</c>.
    /// The offset tables let A and B be views into a padded image (a tap is a fixed shift of it) as well as
    /// plain matrices. Zero terms (padding) are included as fma with 0, which leaves a chain from +0 unchanged
    /// (docs/numerics.md, "Accumulators start at +0"); testing for them cost more than it saved (the branch
    /// mispredicts on ReLU data).
    /// </summary>
    public static void Multiply(
        float* a, int* aRows, int* aColumns, int rows, float* b, int* bRows, int depth, int columns, float* c, int cRow)
    {
        if (Vector512.IsHardwareAccelerated)
        {
            Multiply<Lanes512, Vector512<float>>(a, aRows, aColumns, rows, b, bRows, depth, columns, c, cRow);
        }
        else
        {
            Multiply<Lanes256, Vector256<float>>(a, aRows, aColumns, rows, b, bRows, depth, columns, c, cRow);
        }
    }

    /// <summary>table[i] = i·stride for i &lt; count: the offsets of a plain matrix's rows or columns.</summary>
    public static void Affine(Span<int> table, int stride)
    {
        for (int i = 0; i < table.Length; i++)
        {
            table[i] = i * stride;
        }
    }

    // Fully optimised from the first call: the tier-0 code of a generic SIMD kernel is many times slower, and a
    // training run may call it too few times for tiering to replace it early.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Multiply<TL, TV>(
        float* a, int* aRows, int* aColumns, int rows, float* b, int* bRows, int depth, int columns, float* c, int cRow)
        where TL : struct, ILanes<TV>
        where TV : struct
    {
        int lanes = TL.Count;
        int last = rows - 1;
        for (int j = 0; j < columns; j += 2 * lanes)
        {
            float* bj = b + j;
            for (int i0 = 0; i0 < rows; i0 += TL.Rows)
            {
                // A last partial block repeats its last row; those chains are computed and not stored.
                float* a0 = a + aRows[i0], a1 = a + aRows[Math.Min(i0 + 1, last)];
                float* a2 = a + aRows[Math.Min(i0 + 2, last)], a3 = a + aRows[Math.Min(i0 + 3, last)];
                float* a4 = a0, a5 = a0, a6 = a0, a7 = a0;
                if (TL.Rows == 8)
                {
                    a4 = a + aRows[Math.Min(i0 + 4, last)];
                    a5 = a + aRows[Math.Min(i0 + 5, last)];
                    a6 = a + aRows[Math.Min(i0 + 6, last)];
                    a7 = a + aRows[Math.Min(i0 + 7, last)];
                }

                TV c00 = TL.Zero, c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00;
                TV c40 = c00, c41 = c00, c50 = c00, c51 = c00, c60 = c00, c61 = c00, c70 = c00, c71 = c00;
                for (int k = 0; k < depth; k++)
                {
                    int ak = aColumns[k];
                    float* bk = bj + bRows[k];
                    TV b0 = TL.Load(bk), b1 = TL.Load(bk + lanes);
                    TV w = TL.Broadcast(a0[ak]);
                    c00 = TL.Fma(w, b0, c00);
                    c01 = TL.Fma(w, b1, c01);
                    w = TL.Broadcast(a1[ak]);
                    c10 = TL.Fma(w, b0, c10);
                    c11 = TL.Fma(w, b1, c11);
                    w = TL.Broadcast(a2[ak]);
                    c20 = TL.Fma(w, b0, c20);
                    c21 = TL.Fma(w, b1, c21);
                    w = TL.Broadcast(a3[ak]);
                    c30 = TL.Fma(w, b0, c30);
                    c31 = TL.Fma(w, b1, c31);
                    if (TL.Rows == 8)
                    {
                        w = TL.Broadcast(a4[ak]);
                        c40 = TL.Fma(w, b0, c40);
                        c41 = TL.Fma(w, b1, c41);
                        w = TL.Broadcast(a5[ak]);
                        c50 = TL.Fma(w, b0, c50);
                        c51 = TL.Fma(w, b1, c51);
                        w = TL.Broadcast(a6[ak]);
                        c60 = TL.Fma(w, b0, c60);
                        c61 = TL.Fma(w, b1, c61);
                        w = TL.Broadcast(a7[ak]);
                        c70 = TL.Fma(w, b0, c70);
                        c71 = TL.Fma(w, b1, c71);
                    }
                }

                float* ci = c + ((long)i0 * cRow) + j;
                int count = Math.Min(TL.Rows, rows - i0);
                Store<TL, TV>(c00, c01, ci, lanes);
                if (count > 1)
                {
                    Store<TL, TV>(c10, c11, ci + cRow, lanes);
                }

                if (count > 2)
                {
                    Store<TL, TV>(c20, c21, ci + (2L * cRow), lanes);
                }

                if (count > 3)
                {
                    Store<TL, TV>(c30, c31, ci + (3L * cRow), lanes);
                }

                if (TL.Rows == 8)
                {
                    if (count > 4)
                    {
                        Store<TL, TV>(c40, c41, ci + (4L * cRow), lanes);
                    }

                    if (count > 5)
                    {
                        Store<TL, TV>(c50, c51, ci + (5L * cRow), lanes);
                    }

                    if (count > 6)
                    {
                        Store<TL, TV>(c60, c61, ci + (6L * cRow), lanes);
                    }

                    if (count > 7)
                    {
                        Store<TL, TV>(c70, c71, ci + (7L * cRow), lanes);
                    }
                }
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store<TL, TV>(TV low, TV high, float* destination, int lanes)
        where TL : struct, ILanes<TV>
        where TV : struct
    {
        TL.Store(low, destination);
        TL.Store(high, destination + lanes);
    }

    /// <summary>A vector width for <see cref="Multiply{TL, TV}"/>; the JIT specialises the kernel per width.</summary>
    private interface ILanes<TV>
        where TV : struct
    {
        static abstract int Count { get; }

        static abstract int Rows { get; }

        static abstract TV Zero { get; }

        static abstract TV Load(float* source);

        static abstract void Store(TV value, float* destination);

        static abstract TV Broadcast(float value);

        static abstract TV Fma(TV a, TV b, TV addend);
    }

    private readonly struct Lanes256 : ILanes<Vector256<float>>
    {
        public static int Count => Vector256<float>.Count;

        public static int Rows => 4;

        public static Vector256<float> Zero => Vector256<float>.Zero;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<float> Load(float* source) => Vector256.Load(source);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Store(Vector256<float> value, float* destination) => Vector256.Store(value, destination);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<float> Broadcast(float value) => Vector256.Create(value);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<float> Fma(Vector256<float> a, Vector256<float> b, Vector256<float> addend) => Vector256.FusedMultiplyAdd(a, b, addend);
    }

    private readonly struct Lanes512 : ILanes<Vector512<float>>
    {
        public static int Count => Vector512<float>.Count;

        public static int Rows => 8;

        public static Vector512<float> Zero => Vector512<float>.Zero;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<float> Load(float* source) => Vector512.Load(source);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Store(Vector512<float> value, float* destination) => Vector512.Store(value, destination);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<float> Broadcast(float value) => Vector512.Create(value);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<float> Fma(Vector512<float> a, Vector512<float> b, Vector512<float> addend) => Vector512.FusedMultiplyAdd(a, b, addend);
    }
}
