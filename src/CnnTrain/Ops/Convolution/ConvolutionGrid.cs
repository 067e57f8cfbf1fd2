using System.Collections.Concurrent;

namespace CnnTrain.Ops;

/// <summary>
/// What the Multicore convolution of one geometry needs besides its data, made once per geometry and kept: the
/// shapes of the images (<see cref="ConvolutionPanels"/>), the offset tables through which the products
/// (<see cref="ConvolutionGemm"/>) read them, and which side of each product its lanes run along.
/// </summary>
internal sealed class ConvolutionGrid
{
    private static readonly ConcurrentDictionary<Convolution2DDescriptor, ConvolutionGrid> Grids = new();

    private ConvolutionGrid(in Convolution2DDescriptor d)
    {
        int k = d.KernelSize, s = d.Stride;
        int channels = d.InputChannels, filters = d.Filters;
        KernelTaps = k * k;
        Taps = channels * KernelTaps;
        GradientTaps = filters * KernelTaps;
        Positions = d.ConvolutionHeight * d.ConvolutionWidth;
        InputPositions = d.InputHeight * d.InputWidth;

        ImageHeight = (d.InputHeight + (2 * d.Padding) + s - 1) / s;
        ImageWidth = (d.InputWidth + (2 * d.Padding) + s - 1) / s;
        ImagePlane = ImageHeight * ImageWidth;
        ImageGrid = d.ConvolutionHeight * ImageWidth;
        TapOffsets = new int[Taps];
        for (int c = 0, t = 0; c < channels; c++)
        {
            for (int ky = 0; ky < k; ky++)
            {
                for (int kx = 0; kx < k; kx++, t++)
                {
                    TapOffsets[t] = (((((c * s) + (ky % s)) * s) + (kx % s)) * ImagePlane) + ((ky / s) * ImageWidth) + (kx / s);
                }
            }
        }

        PositionOffsets = new int[Positions];
        for (int oy = 0, p = 0; oy < d.ConvolutionHeight; oy++)
        {
            for (int ox = 0; ox < d.ConvolutionWidth; ox++, p++)
            {
                PositionOffsets[p] = PositionOffset(oy, ox);
            }
        }

        // The gradient image: dz padded by a margin that every phase's shifts stay inside (ConvolutionGradientPhase).
        GradientMargin = (k - 1 + s - 1) / s;
        int phaseHeight = (d.InputHeight + s - 1) / s, phaseWidth = (d.InputWidth + s - 1) / s, reach = (s - 1 + d.Padding) / s;
        GradientWidth = Math.Max(d.ConvolutionWidth, phaseWidth + reach) + (2 * GradientMargin);
        int gradientHeight = Math.Max(d.ConvolutionHeight, phaseHeight + reach) + (2 * GradientMargin);
        GradientPlane = gradientHeight * GradientWidth;
        int channelColumns = ConvolutionGemm.PaddedColumns(channels);
        var phases = new List<ConvolutionGradientPhase>();
        for (int ry = 0; ry < s; ry++)
        {
            for (int rx = 0; rx < s; rx++)
            {
                var phase = new ConvolutionGradientPhase(d, ry, rx, GradientMargin, GradientWidth, GradientPlane, channelColumns);
                if (phase.Height > 0 && phase.Width > 0)
                {
                    phases.Add(phase);
                }
            }
        }

        GradientPhases = [.. phases];

        // Lanes along whichever side of a product costs less: its padding lanes, plus the copies that side needs
        // (a transpose of the result or of dz, or the patch panel), in cycles per element of the copy.
        ForwardByPositions = Cost(filters, ImageGrid, Taps) <= Cost(Positions, filters, Taps) + ((long)Positions * filters);
        PartialsByTaps = Cost(filters, Taps, Positions) + (3L * Positions * Taps / 2)
            < Cost(Taps, filters, Positions) + ((long)filters * Positions) + ((long)Taps * filters);
        long byPositions = 0, byChannels = (long)InputPositions * channels;
        foreach (ConvolutionGradientPhase phase in GradientPhases)
        {
            byPositions += Cost(channels, phase.GridColumns, phase.Taps.Length);
            byChannels += Cost(phase.Height * phase.Width, channels, phase.Taps.Length);
        }

        InputGradientByPositions = byPositions <= byChannels;
        FilterColumns = ConvolutionGemm.PaddedColumns(filters);
        ChannelColumns = ConvolutionGemm.PaddedColumns(channels);
        TapColumns = ConvolutionGemm.PaddedColumns(Taps);
        ImageColumns = ConvolutionGemm.PaddedColumns(ImageGrid);
        ImageLength = (channels * s * s * ImagePlane) + ImageColumns;
        GradientLength = (filters * GradientPlane) + GradientPhases.Max(p => p.GridColumns) + GradientWidth;

        FilterRows = Strided(filters, Taps);
        Units = Strided(Math.Max(Math.Max(Taps, GradientTaps), Positions), 1);
        TapRows = Strided(Taps, FilterColumns);
        GradientRows = Strided(filters, Positions);
        PanelRows = Strided(Positions, TapColumns);
        TransposedRows = Strided(Positions, FilterColumns);
        ChannelRows = Strided(channels, GradientTaps);
    }

    /// <summary>K·K.</summary>
    public int KernelTaps { get; }

    /// <summary>Terms of a forward chain, C·K·K.</summary>
    public int Taps { get; }

    /// <summary>Terms of an input-gradient chain, F·K·K.</summary>
    public int GradientTaps { get; }

    /// <summary>Conv output positions of a plane.</summary>
    public int Positions { get; }

    /// <summary>Input positions of a plane.</summary>
    public int InputPositions { get; }

    /// <summary>Rows of one phase plane of the input image.</summary>
    public int ImageHeight { get; }

    /// <summary>Columns of one phase plane of the input image.</summary>
    public int ImageWidth { get; }

    /// <summary>Floats of one phase plane of the input image.</summary>
    public int ImagePlane { get; }

    /// <summary>Conv output positions on the image's grid (row width <see cref="ImageWidth"/>), the unused columns included.</summary>
    public int ImageGrid { get; }

    /// <summary>Floats of the input image, with slack for the padding lanes of a product.</summary>
    public int ImageLength { get; }

    /// <summary>Offset in the input image of tap t = (c, ky, kx) from its output position.</summary>
    public int[] TapOffsets { get; }

    /// <summary>Offset in the input image of output position p = (oy, ox).</summary>
    public int[] PositionOffsets { get; }

    /// <summary>Rows and columns of zeros around dz in the gradient image.</summary>
    public int GradientMargin { get; }

    /// <summary>The phases of the input gradient (one for stride 1), each a product of its own.</summary>
    public ConvolutionGradientPhase[] GradientPhases { get; }

    /// <summary>Row width of the gradient image (and of each phase's grid).</summary>
    public int GradientWidth { get; }

    /// <summary>Floats of one plane of the gradient image.</summary>
    public int GradientPlane { get; }


    /// <summary>Floats of the gradient image, with slack for the padding lanes of a product.</summary>
    public int GradientLength { get; }



    /// <summary>Whether the forward product runs its lanes along output positions (else along filters).</summary>
    public bool ForwardByPositions { get; }

    /// <summary>Whether the filter-partial product runs its lanes along taps (else along filters).</summary>
    public bool PartialsByTaps { get; }

    /// <summary>Whether the input-gradient product runs its lanes along input positions (else along channels).</summary>
    public bool InputGradientByPositions { get; }

    /// <summary>Filters padded to whole register blocks.</summary>
    public int FilterColumns { get; }

    /// <summary>Channels padded to whole register blocks.</summary>
    public int ChannelColumns { get; }

    /// <summary>Taps padded to whole register blocks.</summary>
    public int TapColumns { get; }

    /// <summary>The image grid padded to whole register blocks.</summary>
    public int ImageColumns { get; }


    /// <summary>f·C·K·K: the rows of w.</summary>
    public int[] FilterRows { get; }

    /// <summary>0, 1, 2, …: the columns of a plain matrix.</summary>
    public int[] Units { get; }

    /// <summary>t·<see cref="FilterColumns"/>: the rows of w packed taps × filters.</summary>
    public int[] TapRows { get; }

    /// <summary>f·positions: the rows of dz.</summary>
    public int[] GradientRows { get; }

    /// <summary>p·<see cref="TapColumns"/>: the rows of the patch panel.</summary>
    public int[] PanelRows { get; }

    /// <summary>p·<see cref="FilterColumns"/>: the rows of dz transposed.</summary>
    public int[] TransposedRows { get; }

    /// <summary>c·F·K·K: the rows of w packed channels × taps'.</summary>
    public int[] ChannelRows { get; }


    /// <summary>The grid of a geometry, made on its first use.</summary>
    public static ConvolutionGrid Of(in Convolution2DDescriptor d) => Grids.GetOrAdd(d, static key => new ConvolutionGrid(key));

    /// <summary>Offset in the input image of output position (oy, ox).</summary>
    public int PositionOffset(int oy, int ox) => (oy * ImageWidth) + ox;

    // Cycles of a product at two vector fmas a cycle, padding lanes included.
    private static long Cost(int rows, int columns, int depth) => ConvolutionGemm.Work(rows, columns) * depth / (2 * ConvolutionGemm.Lanes);

    private static int[] Strided(int count, int stride)
    {
        var table = new int[count];
        ConvolutionGemm.Affine(table, stride);
        return table;
    }
}
