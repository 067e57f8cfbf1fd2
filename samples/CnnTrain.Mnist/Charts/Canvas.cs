namespace CnnTrain.Mnist.Charts;

/// <summary>An RGB raster, origin at the top left, with the few drawing operations a line chart needs. Drawing outside is clipped.</summary>
internal sealed class Canvas
{
    public Canvas(int width, int height, Rgb background)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        Width = width;
        Height = height;
        Pixels = new byte[width * height * 3];
        FillRectangle(0, 0, width, height, background);
    }

    public int Width { get; }

    public int Height { get; }

    /// <summary>Row-major R, G, B bytes.</summary>
    public byte[] Pixels { get; }

    public Rgb this[int x, int y]
    {
        get
        {
            int i = ((y * Width) + x) * 3;
            return new Rgb(Pixels[i], Pixels[i + 1], Pixels[i + 2]);
        }
    }

    public void Set(int x, int y, Rgb color)
    {
        if ((uint)x < (uint)Width && (uint)y < (uint)Height)
        {
            int i = ((y * Width) + x) * 3;
            Pixels[i] = color.R;
            Pixels[i + 1] = color.G;
            Pixels[i + 2] = color.B;
        }
    }

    public void FillRectangle(int x, int y, int width, int height, Rgb color)
    {
        for (int row = y; row < y + height; row++)
        {
            for (int column = x; column < x + width; column++)
            {
                Set(column, row, color);
            }
        }
    }

    /// <summary>Bresenham's line from (x0, y0) to (x1, y1), both ends included, drawn with a square pen of <paramref name="thickness"/> pixels.</summary>
    public void Line(int x0, int y0, int x1, int y1, Rgb color, int thickness = 1)
    {
        int dx = Math.Abs(x1 - x0), sx = x0 < x1 ? 1 : -1;
        int dy = -Math.Abs(y1 - y0), sy = y0 < y1 ? 1 : -1;
        int error = dx + dy;
        int offset = (thickness - 1) / 2;
        while (true)
        {
            FillRectangle(x0 - offset, y0 - offset, thickness, thickness, color);
            if (x0 == x1 && y0 == y1)
            {
                return;
            }

            int twice = 2 * error;
            if (twice >= dy)
            {
                error += dy;
                x0 += sx;
            }

            if (twice <= dx)
            {
                error += dx;
                y0 += sy;
            }
        }
    }

    /// <summary>Draws <paramref name="text"/> in <see cref="PixelFont"/> with its top left at (x, y), each font pixel <paramref name="scale"/> pixels square.</summary>
    public void Text(int x, int y, string text, Rgb color, int scale)
    {
        foreach (char c in text)
        {
            ReadOnlySpan<byte> rows = PixelFont.Glyph(c);
            for (int row = 0; row < PixelFont.Height; row++)
            {
                for (int column = 0; column < PixelFont.Width; column++)
                {
                    if ((rows[row] & (1 << (PixelFont.Width - 1 - column))) != 0)
                    {
                        FillRectangle(x + (column * scale), y + (row * scale), scale, scale, color);
                    }
                }
            }

            x += PixelFont.Advance * scale;
        }
    }
}
