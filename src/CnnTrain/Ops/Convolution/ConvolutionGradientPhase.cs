namespace CnnTrain.Ops;

/// <summary>
/// The input positions (iy, ix) with iy ≡ <see cref="Row"/> and ix ≡ <see cref="Column"/> (mod the stride) of
/// the input gradient, and the taps that reach them: tap (f, ky, kx) reaches such a position exactly when
/// S divides iy + P − ky and ix + P − kx, so each phase's chain keeps, in ascending (f, ky, kx) order, only the
/// taps that are not zero terms by construction (skipping them is exact, docs/numerics.md). On the phase's own
/// grid (u, v), with iy = Row + S·u and ix = Column + S·v, tap (f, ky, kx) reads dz at the fixed shift
/// ((Row + P − ky) / S, (Column + P − kx) / S) of the padded gradient image.
/// </summary>
internal sealed class ConvolutionGradientPhase
{
    public ConvolutionGradientPhase(in Convolution2DDescriptor d, int row, int column, int margin, int imageWidth, int imagePlane, int channelColumns)
    {
        int k = d.KernelSize, s = d.Stride, pad = d.Padding;
        Row = row;
        Column = column;
        Height = (d.InputHeight - row + s - 1) / s;
        Width = (d.InputWidth - column + s - 1) / s;
        GridColumns = ConvolutionGemm.PaddedColumns(Height * imageWidth);
        var taps = new List<int>();
        var offsets = new List<int>();
        for (int f = 0; f < d.Filters; f++)
        {
            for (int ky = 0; ky < k; ky++)
            {
                if ((row + pad - ky) % s != 0)
                {
                    continue;
                }

                for (int kx = 0; kx < k; kx++)
                {
                    if ((column + pad - kx) % s != 0)
                    {
                        continue;
                    }

                    taps.Add((((f * k) + ky) * k) + kx);
                    offsets.Add((f * imagePlane) + ((((row + pad - ky) / s) + margin) * imageWidth) + ((column + pad - kx) / s) + margin);
                }
            }
        }

        Taps = [.. taps];
        TapOffsets = [.. offsets];
        TapRows = [.. taps.Select(t => t * channelColumns)];
        PositionOffsets = new int[Height * Width];
        for (int u = 0, i = 0; u < Height; u++)
        {
            for (int v = 0; v < Width; v++, i++)
            {
                PositionOffsets[i] = (u * imageWidth) + v;
            }
        }
    }

    /// <summary>iy mod S of the phase's positions.</summary>
    public int Row { get; }

    /// <summary>ix mod S of the phase's positions.</summary>
    public int Column { get; }

    /// <summary>Rows u of the phase's positions.</summary>
    public int Height { get; }

    /// <summary>Columns v of the phase's positions.</summary>
    public int Width { get; }

    /// <summary>The phase's positions on the image's grid (row width of the image), padded to whole register blocks.</summary>
    public int GridColumns { get; }

    /// <summary>The taps that reach the phase, as indices t' = (f, ky, kx) of the full chain, ascending.</summary>
    public int[] Taps { get; }

    /// <summary>Offset in the gradient image of each tap from the phase position it reaches.</summary>
    public int[] TapOffsets { get; }

    /// <summary>t'·(channels padded): the rows of w packed taps' × channels, for each tap.</summary>
    public int[] TapRows { get; }

    /// <summary>Offset in the gradient image's grid of phase position (u, v), row-major.</summary>
    public int[] PositionOffsets { get; }
}
