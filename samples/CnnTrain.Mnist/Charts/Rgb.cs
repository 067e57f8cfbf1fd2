namespace CnnTrain.Mnist.Charts;

/// <summary>An opaque colour, 8 bits per channel.</summary>
internal readonly record struct Rgb(byte R, byte G, byte B)
{
    public static Rgb White => new(255, 255, 255);

    public static Rgb Black => new(0, 0, 0);

    public static Rgb Grid => new(225, 225, 225);

    /// <summary>The series colours: blue for training, orange for test (matplotlib's first two).</summary>
    public static Rgb Train => new(31, 119, 180);

    public static Rgb Test => new(255, 127, 14);
}
