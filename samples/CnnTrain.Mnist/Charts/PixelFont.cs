namespace CnnTrain.Mnist.Charts;

/// <summary>
/// A 5×7 bitmap font for chart labels: digits, lower-case letters (upper case is drawn as lower case) and the
/// punctuation of numbers and titles. Each glyph is 7 rows, top first, of 5 bits, leftmost pixel in bit 4.
/// </summary>
internal static class PixelFont
{
    public const int Width = 5;
    public const int Height = 7;

    /// <summary>Horizontal distance between the starts of neighbouring characters, one column of space included.</summary>
    public const int Advance = Width + 1;

    // An unknown character shows as a hollow box, so a missing glyph is visible rather than silently dropped.
    private static readonly byte[] Missing = [0b11111, 0b10001, 0b10001, 0b10001, 0b10001, 0b10001, 0b11111];

    private static readonly Dictionary<char, byte[]> Glyphs = new()
    {
        ['0'] = [0b01110, 0b10001, 0b10011, 0b10101, 0b11001, 0b10001, 0b01110],
        ['1'] = [0b00100, 0b01100, 0b00100, 0b00100, 0b00100, 0b00100, 0b01110],
        ['2'] = [0b01110, 0b10001, 0b00001, 0b00010, 0b00100, 0b01000, 0b11111],
        ['3'] = [0b11111, 0b00010, 0b00100, 0b00010, 0b00001, 0b10001, 0b01110],
        ['4'] = [0b00010, 0b00110, 0b01010, 0b10010, 0b11111, 0b00010, 0b00010],
        ['5'] = [0b11111, 0b10000, 0b11110, 0b00001, 0b00001, 0b10001, 0b01110],
        ['6'] = [0b00110, 0b01000, 0b10000, 0b11110, 0b10001, 0b10001, 0b01110],
        ['7'] = [0b11111, 0b00001, 0b00010, 0b00100, 0b01000, 0b01000, 0b01000],
        ['8'] = [0b01110, 0b10001, 0b10001, 0b01110, 0b10001, 0b10001, 0b01110],
        ['9'] = [0b01110, 0b10001, 0b10001, 0b01111, 0b00001, 0b00010, 0b01100],
        ['.'] = [0b00000, 0b00000, 0b00000, 0b00000, 0b00000, 0b01100, 0b01100],
        [','] = [0b00000, 0b00000, 0b00000, 0b00000, 0b01100, 0b00100, 0b01000],
        ['%'] = [0b11000, 0b11001, 0b00010, 0b00100, 0b01000, 0b10011, 0b00011],
        ['-'] = [0b00000, 0b00000, 0b00000, 0b11111, 0b00000, 0b00000, 0b00000],
        [':'] = [0b00000, 0b01100, 0b01100, 0b00000, 0b01100, 0b01100, 0b00000],
        ['('] = [0b00010, 0b00100, 0b01000, 0b01000, 0b01000, 0b00100, 0b00010],
        [')'] = [0b01000, 0b00100, 0b00010, 0b00010, 0b00010, 0b00100, 0b01000],
        ['/'] = [0b00000, 0b00001, 0b00010, 0b00100, 0b01000, 0b10000, 0b00000],
        [' '] = [0b00000, 0b00000, 0b00000, 0b00000, 0b00000, 0b00000, 0b00000],
        ['a'] = [0b00000, 0b00000, 0b01110, 0b00001, 0b01111, 0b10001, 0b01111],
        ['b'] = [0b10000, 0b10000, 0b10110, 0b11001, 0b10001, 0b10001, 0b11110],
        ['c'] = [0b00000, 0b00000, 0b01110, 0b10000, 0b10000, 0b10001, 0b01110],
        ['d'] = [0b00001, 0b00001, 0b01101, 0b10011, 0b10001, 0b10001, 0b01111],
        ['e'] = [0b00000, 0b00000, 0b01110, 0b10001, 0b11111, 0b10000, 0b01110],
        ['f'] = [0b00110, 0b01001, 0b01000, 0b11100, 0b01000, 0b01000, 0b01000],
        ['g'] = [0b00000, 0b01111, 0b10001, 0b10001, 0b01111, 0b00001, 0b01110],
        ['h'] = [0b10000, 0b10000, 0b10110, 0b11001, 0b10001, 0b10001, 0b10001],
        ['i'] = [0b00100, 0b00000, 0b01100, 0b00100, 0b00100, 0b00100, 0b01110],
        ['j'] = [0b00010, 0b00000, 0b00110, 0b00010, 0b00010, 0b10010, 0b01100],
        ['k'] = [0b10000, 0b10000, 0b10010, 0b10100, 0b11000, 0b10100, 0b10010],
        ['l'] = [0b01100, 0b00100, 0b00100, 0b00100, 0b00100, 0b00100, 0b01110],
        ['m'] = [0b00000, 0b00000, 0b11010, 0b10101, 0b10101, 0b10001, 0b10001],
        ['n'] = [0b00000, 0b00000, 0b10110, 0b11001, 0b10001, 0b10001, 0b10001],
        ['o'] = [0b00000, 0b00000, 0b01110, 0b10001, 0b10001, 0b10001, 0b01110],
        ['p'] = [0b00000, 0b00000, 0b11110, 0b10001, 0b11110, 0b10000, 0b10000],
        ['q'] = [0b00000, 0b00000, 0b01101, 0b10011, 0b01111, 0b00001, 0b00001],
        ['r'] = [0b00000, 0b00000, 0b10110, 0b11001, 0b10000, 0b10000, 0b10000],
        ['s'] = [0b00000, 0b00000, 0b01110, 0b10000, 0b01110, 0b00001, 0b11110],
        ['t'] = [0b01000, 0b01000, 0b11100, 0b01000, 0b01000, 0b01001, 0b00110],
        ['u'] = [0b00000, 0b00000, 0b10001, 0b10001, 0b10001, 0b10011, 0b01101],
        ['v'] = [0b00000, 0b00000, 0b10001, 0b10001, 0b10001, 0b01010, 0b00100],
        ['w'] = [0b00000, 0b00000, 0b10001, 0b10001, 0b10101, 0b10101, 0b01010],
        ['x'] = [0b00000, 0b00000, 0b10001, 0b01010, 0b00100, 0b01010, 0b10001],
        ['y'] = [0b00000, 0b00000, 0b10001, 0b10001, 0b01111, 0b00001, 0b01110],
        ['z'] = [0b00000, 0b00000, 0b11111, 0b00010, 0b00100, 0b01000, 0b11111],
    };

    public static ReadOnlySpan<byte> Glyph(char c) => Glyphs.TryGetValue(char.ToLowerInvariant(c), out byte[]? rows) ? rows : Missing;

    public static bool Has(char c) => Glyphs.ContainsKey(char.ToLowerInvariant(c));

    /// <summary>The width in pixels of <paramref name="text"/> drawn at <paramref name="scale"/>, without the space after its last character.</summary>
    public static int Measure(string text, int scale) => text.Length == 0 ? 0 : ((text.Length * Advance) - 1) * scale;
}
